// Exit 0 if NEO4J_URI rejects NEO4J_USERNAME/NEO4J_PASSWORD as unauthorized (the lease was revoked), 1 if the
// login still works, 2 on any other error. Used by e2e/run after a job's after_script.
const neo4j = require(process.env.NEO4J_DRIVER_PATH || "neo4j-driver");
const { NEO4J_URI, NEO4J_USERNAME, NEO4J_PASSWORD } = process.env;
const driver = neo4j.driver(NEO4J_URI, neo4j.auth.basic(NEO4J_USERNAME, NEO4J_PASSWORD));
driver
  .verifyAuthentication()
  .then((ok) => {
    console.error(ok ? `${NEO4J_USERNAME} can still log in` : `${NEO4J_USERNAME} is refused`);
    return ok ? 1 : 0;
  })
  .catch((e) => {
    if (e.code === "Neo.ClientError.Security.Unauthorized") {
      console.error(`${NEO4J_USERNAME} is refused (${e.code})`);
      return 0;
    }
    console.error(`login check failed: ${e.code || ""} ${e.message}`);
    return 2;
  })
  .then(async (code) => {
    await driver.close();
    process.exit(code);
  });
