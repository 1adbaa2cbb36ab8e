"""The Python neo4j driver through the broker's Bolt gateway: each check a job's client would rely on.

Reads NEO4J_URI, NEO4J_USERNAME, NEO4J_PASSWORD and NEO4J_DATABASE (a write grant's, as the broker issued them);
prints one "ok"/"FAIL" line per check and exits 1 if any failed. Never prints the password.
"""

import os
import sys
import uuid

import pytz
from neo4j import GraphDatabase, basic_auth
from neo4j.exceptions import Neo4jError, ServiceUnavailable
from neo4j.spatial import CartesianPoint, WGS84Point
from neo4j.time import Date, DateTime, Duration, Time

URI = os.environ["NEO4J_URI"]
AUTH = basic_auth(os.environ["NEO4J_USERNAME"], os.environ["NEO4J_PASSWORD"])
DATABASE = os.environ.get("NEO4J_DATABASE") or "neo4j"
RUN = uuid.uuid4().hex
ROWS = 100_000
failures = []


def check(name):
    def run(fn):
        try:
            fn()
            print(f"  ok    python: {name}")
        except Exception as e:  # noqa: BLE001 - every failure is reported, none stops the others
            failures.append(name)
            print(f"  FAIL  python: {name}: {type(e).__name__}: {e}")
        return fn

    return run


def count(session, step):
    query = "MATCH (n:DriverCheck {run: $run, step: $step}) RETURN count(n) AS n"
    return session.run(query, run=RUN, step=step).single()["n"]


with GraphDatabase.driver(URI, auth=AUTH) as driver:

    @check("auto-commit query")
    def _():
        with driver.session(database=DATABASE) as s:
            assert s.run("RETURN 1 AS x").single()["x"] == 1

    @check("explicit transaction")
    def _():
        with driver.session(database=DATABASE) as s:
            with s.begin_transaction() as tx:
                tx.run("CREATE (:DriverCheck {run: $run, step: 'tx'})", run=RUN).consume()
                tx.commit()
            assert count(s, "tx") == 1

    @check("transaction function retried after a retryable error")
    def _():
        attempts = []

        def work(tx):
            attempts.append(1)
            tx.run("CREATE (:DriverCheck {run: $run, step: 'retry'})", run=RUN).consume()
            if len(attempts) == 1:
                raise ServiceUnavailable("simulated: the driver retries this")
            return len(attempts)

        with driver.session(database=DATABASE) as s:
            assert s.execute_write(work) == 2
            assert count(s, "retry") == 1, "the first attempt was rolled back"

    @check("bookmarks across sessions")
    def _():
        with driver.session(database=DATABASE) as first:
            first.execute_write(
                lambda tx: tx.run("CREATE (:DriverCheck {run: $run, step: 'bookmark'})", run=RUN).consume()
            )
            bookmarks = first.last_bookmarks()
        with driver.session(database=DATABASE, bookmarks=bookmarks) as second:
            assert second.execute_read(lambda tx: count(tx, "bookmark")) == 1

    @check("neo4j:// routing stays on the gateway")
    def _():
        routed = "neo4j://" + URI.split("://", 1)[1]
        with GraphDatabase.driver(routed, auth=AUTH) as d:
            with d.session(database=DATABASE) as s:
                assert s.execute_read(lambda tx: tx.run("RETURN 2 AS x").single()["x"]) == 2
                assert s.execute_write(lambda tx: tx.run("RETURN 3 AS x").single()["x"]) == 3

    @check(f"{ROWS:,} records streamed")
    def _():
        with driver.session(database=DATABASE) as s:
            n = total = 0
            for record in s.run("UNWIND range(1, $rows) AS i RETURN i", rows=ROWS):
                n += 1
                total += record["i"]
            assert (n, total) == (ROWS, ROWS * (ROWS + 1) // 2), (n, total)

    @check("every parameter type round-trips")
    def _():
        plus_two = pytz.FixedOffset(120)
        values = {
            "text": "Grüße 🙂",
            "integer": 2**62,
            "float": 1.5e-7,
            "boolean": True,
            "nothing": None,
            "bytes": b"\x00\x01\xff",
            "list": [1, "two", [3.0], {"four": 4}],
            "map": {"nested": {"list": [True, False]}},
            "date": Date(2024, 2, 29),
            "time": Time(12, 34, 56, 789_000_000, tzinfo=plus_two),
            "local_time": Time(23, 59, 59),
            "datetime": DateTime(2024, 3, 31, 2, 30, 0, 5, tzinfo=plus_two),
            "zoned_datetime": pytz.timezone("Europe/Berlin").localize(DateTime(2024, 3, 31, 12, 0, 0)),
            "local_datetime": DateTime(2024, 1, 1, 0, 0, 0),
            "duration": Duration(months=14, days=3, seconds=61, nanoseconds=5),
            "cartesian": CartesianPoint((1.5, -2.0)),
            "wgs84": WGS84Point((8.54, 47.37)),
        }
        with driver.session(database=DATABASE) as s:
            back = s.run("RETURN $values AS v", values=values).single()["v"]
        for key, sent in values.items():
            assert back[key] == sent, f"{key}: sent {sent!r}, got {back[key]!r}"

    @check("a server error arrives with its code")
    def _():
        with driver.session(database=DATABASE) as s:
            try:
                s.run("RETURN 1 / 0 AS x").consume()
            except Neo4jError as e:
                assert e.code == "Neo.ClientError.Statement.ArithmeticError", e.code
            else:
                raise AssertionError("no error")

    @check("a stream abandoned mid-way, then the connection used again")
    def _():
        with driver.session(database=DATABASE) as s:
            tx = s.begin_transaction()
            result = tx.run("UNWIND range(1, $rows) AS i RETURN i", rows=ROWS)
            assert [next(result)["i"] for _ in range(10)] == list(range(1, 11))
            tx.close()
            assert s.run("RETURN 4 AS x").single()["x"] == 4

    with driver.session(database=DATABASE) as s:
        s.run("MATCH (n:DriverCheck {run: $run}) DELETE n", run=RUN).consume()

sys.exit(1 if failures else 0)
