// The Node neo4j-driver through the broker's Bolt gateway: each check a job's client would rely on.
// Reads NEO4J_URI, NEO4J_USERNAME, NEO4J_PASSWORD and NEO4J_DATABASE (a write grant's, as the broker issued them);
// prints one "ok"/"FAIL" line per check and exits 1 if any failed. Never prints the password.
const neo4j = require(process.env.NEO4J_DRIVER_PATH || "neo4j-driver");
const assert = require("node:assert/strict");
const { randomUUID } = require("node:crypto");

const { NEO4J_URI, NEO4J_USERNAME, NEO4J_PASSWORD } = process.env;
const database = process.env.NEO4J_DATABASE || "neo4j";
const auth = neo4j.auth.basic(NEO4J_USERNAME, NEO4J_PASSWORD);
const run = randomUUID();
const ROWS = 100000;
const failures = [];

async function check(name, fn) {
  try {
    await fn();
    console.log(`  ok    node: ${name}`);
  } catch (e) {
    failures.push(name);
    console.log(`  FAIL  node: ${name}: ${e.code || ""} ${e.message}`);
  }
}

async function count(runner, step) {
  const r = await runner.run("MATCH (n:DriverCheck {run: $run, step: $step}) RETURN count(n) AS n", { run, step });
  return r.records[0].get("n").toNumber();
}

async function main() {
  const driver = neo4j.driver(NEO4J_URI, auth);
  const session = () => driver.session({ database });
  try {
    await check("auto-commit query", async () => {
      const s = session();
      try {
        const r = await s.run("RETURN 1 AS x");
        assert.equal(r.records[0].get("x").toNumber(), 1);
      } finally {
        await s.close();
      }
    });

    await check("explicit transaction", async () => {
      const s = session();
      try {
        const tx = s.beginTransaction();
        await tx.run("CREATE (:DriverCheck {run: $run, step: 'tx'})", { run });
        await tx.commit();
        assert.equal(await count(s, "tx"), 1);
      } finally {
        await s.close();
      }
    });

    await check("transaction function retried after a retryable error", async () => {
      const s = session();
      try {
        let attempts = 0;
        const result = await s.executeWrite(async (tx) => {
          attempts += 1;
          await tx.run("CREATE (:DriverCheck {run: $run, step: 'retry'})", { run });
          if (attempts === 1) {
            throw new neo4j.Neo4jError("simulated: the driver retries this", "ServiceUnavailable");
          }
          return attempts;
        });
        assert.equal(result, 2);
        assert.equal(await count(s, "retry"), 1, "the first attempt was rolled back");
      } finally {
        await s.close();
      }
    });

    await check("bookmarks across sessions", async () => {
      const first = session();
      let bookmarks;
      try {
        await first.executeWrite((tx) => tx.run("CREATE (:DriverCheck {run: $run, step: 'bookmark'})", { run }));
        bookmarks = first.lastBookmarks();
      } finally {
        await first.close();
      }
      const second = driver.session({ database, bookmarks });
      try {
        assert.equal(await second.executeRead((tx) => count(tx, "bookmark")), 1);
      } finally {
        await second.close();
      }
    });

    await check("neo4j:// routing stays on the gateway", async () => {
      const routed = neo4j.driver("neo4j://" + NEO4J_URI.split("://")[1], auth);
      try {
        const info = await routed.getServerInfo({ database });
        assert.equal(info.address, NEO4J_URI.split("://")[1]);
        const s = routed.session({ database });
        try {
          const read = await s.executeRead((tx) => tx.run("RETURN 2 AS x"));
          const write = await s.executeWrite((tx) => tx.run("RETURN 3 AS x"));
          assert.equal(read.records[0].get("x").toNumber() + write.records[0].get("x").toNumber(), 5);
        } finally {
          await s.close();
        }
      } finally {
        await routed.close();
      }
    });

    await check(`${ROWS.toLocaleString("en")} records streamed`, async () => {
      const s = session();
      try {
        let n = 0;
        let total = 0;
        await new Promise((resolve, reject) => {
          s.run("UNWIND range(1, $rows) AS i RETURN i", { rows: neo4j.int(ROWS) }).subscribe({
            onNext: (r) => {
              n += 1;
              total += r.get("i").toNumber();
            },
            onCompleted: resolve,
            onError: reject,
          });
        });
        assert.deepEqual([n, total], [ROWS, (ROWS * (ROWS + 1)) / 2]);
      } finally {
        await s.close();
      }
    });

    await check("every parameter type round-trips", async () => {
      const values = {
        text: "Grüße 🙂",
        integer: neo4j.int("4611686018427387904"),
        float: 1.5e-7,
        boolean: true,
        nothing: null,
        bytes: new Int8Array([0, 1, -1]),
        list: [neo4j.int(1), "two", [3.5], { four: neo4j.int(4) }],
        map: { nested: { list: [true, false] } },
        date: new neo4j.types.Date(2024, 2, 29),
        time: new neo4j.types.Time(12, 34, 56, 789000000, 7200),
        localTime: new neo4j.types.LocalTime(23, 59, 59, 0),
        dateTime: new neo4j.types.DateTime(2024, 3, 31, 2, 30, 0, 5, 7200),
        zonedDateTime: new neo4j.types.DateTime(2024, 3, 31, 12, 0, 0, 0, 7200, "Europe/Berlin"),
        localDateTime: new neo4j.types.LocalDateTime(2024, 1, 1, 0, 0, 0, 0),
        duration: new neo4j.types.Duration(14, 3, 61, 5),
        cartesian: new neo4j.types.Point(neo4j.int(7203), 1.5, -2.0),
        wgs84: new neo4j.types.Point(neo4j.int(4326), 8.54, 47.37),
      };
      const s = session();
      try {
        const r = await s.run("RETURN $values AS v", { values });
        const back = r.records[0].get("v");
        for (const [key, sent] of Object.entries(values)) {
          assert.equal(String(back[key]), String(sent), key);
        }
        assert.deepEqual(Array.from(back.bytes), [0, 1, -1], "bytes");
        assert.equal(JSON.stringify(back.list), JSON.stringify(values.list), "list");
        assert.equal(JSON.stringify(back.map), JSON.stringify(values.map), "map");
      } finally {
        await s.close();
      }
    });

    await check("a server error arrives with its code", async () => {
      const s = session();
      try {
        await assert.rejects(s.run("RETURN 1 / 0 AS x"), (e) => e.code === "Neo.ClientError.Statement.ArithmeticError");
      } finally {
        await s.close();
      }
    });

    await check("a stream abandoned mid-way, then the connection used again", async () => {
      const s = session();
      try {
        // Far more rows than one batch, so that the stream is surely open when it is left.
        const tx = s.beginTransaction();
        let seen = 0;
        for await (const record of tx.run("UNWIND range(1, $rows) AS i RETURN i", { rows: neo4j.int(100 * ROWS) })) {
          seen += record.get("i").toNumber();
          if (seen >= 55) break;
        }
        await tx.rollback();
        const r = await s.run("RETURN 4 AS x");
        assert.equal(r.records[0].get("x").toNumber(), 4);
      } finally {
        await s.close();
      }
    });

    const s = session();
    await s.run("MATCH (n:DriverCheck {run: $run}) DELETE n", { run });
    await s.close();
  } finally {
    await driver.close();
  }
  process.exit(failures.length ? 1 : 0);
}

main().catch((e) => {
  console.log(`  FAIL  node: ${e.code || ""} ${e.message}`);
  process.exit(1);
});
