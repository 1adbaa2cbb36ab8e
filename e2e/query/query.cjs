// A tiny Cypher client for sample jobs: runs one query with the credentials the neo4j-access step exported
// (NEO4J_URI, NEO4J_USERNAME, NEO4J_PASSWORD, NEO4J_DATABASE) and prints the rows. Never prints the password.
//   node query.cjs "RETURN 1 AS ok"
// The driver comes from NEO4J_DRIVER_PATH (e2e/run installs one into e2e/.tools) or node_modules.
const neo4j = require(process.env.NEO4J_DRIVER_PATH || "neo4j-driver");

async function main() {
  const { NEO4J_URI, NEO4J_USERNAME, NEO4J_PASSWORD, NEO4J_DATABASE } = process.env;
  for (const [name, value] of Object.entries({ NEO4J_URI, NEO4J_USERNAME, NEO4J_PASSWORD })) {
    if (!value) throw new Error(`${name} is not set: did the job extend .neo4j-access?`);
  }
  const driver = neo4j.driver(NEO4J_URI, neo4j.auth.basic(NEO4J_USERNAME, NEO4J_PASSWORD), {
    disableLosslessIntegers: true,
  });
  try {
    const { records } = await driver.executeQuery(process.argv[2] || "RETURN 1 AS ok", {}, {
      database: NEO4J_DATABASE || undefined,
    });
    for (const r of records) console.log(JSON.stringify(r.toObject()));
    console.log(`query ran as ${NEO4J_USERNAME} on ${NEO4J_URI}`);
  } finally {
    await driver.close();
  }
}

main().catch((e) => {
  console.error(`query failed: ${e.code || ""} ${e.message}`);
  process.exit(1);
});
