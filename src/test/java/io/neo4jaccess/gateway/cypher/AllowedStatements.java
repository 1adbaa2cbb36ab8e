package io.neo4jaccess.gateway.cypher;

import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetTime;
import java.time.ZonedDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.neo4j.driver.Values;

/**
 * Realistic test-data loads and queries that a grant must pass unchanged. Public so the gateway's
 * tests can run the same table through a real driver; every case is Cypher that Neo4j 5.26 plans
 * (StatementClassifierAgainstNeo4jTest checks that with {@code EXPLAIN}).
 */
public final class AllowedStatements {

  /**
   * One statement that must pass.
   *
   * @param name what the case does, as a test name
   * @param query the text sent
   * @param parameters the values sent with it
   * @param rules the grant it is sent under
   */
  public record Case(String name, String query, Map<String, Object> parameters, Rules rules) {

    Case with(Map<String, Object> values) {
      return new Case(name, query, values, rules);
    }

    Case under(Rules grant) {
      return new Case(name, query, parameters, grant);
    }

    @Override
    public String toString() {
      return name;
    }
  }

  private static final Map<String, Object> ROWS =
      Map.of(
          "rows",
          List.of(
              Map.of("id", 1L, "name", "Ada", "kind", "Engineer", "knows", List.of(2L)),
              Map.of("id", 2L, "name", "Grace", "kind", "Admiral", "knows", List.of(1L))));

  private static final String PEOPLE_CSV = "https://data.example.com/people.csv";

  public static final List<Case> ALL =
      List.of(
          allowed(
                  "unwind_rows_merge",
                  "UNWIND $rows AS r MERGE (p:Person {id: r.id}) SET p.name = r.name")
              .with(ROWS),
          allowed(
                  "unwind_rows_merge_relationships",
                  "UNWIND $rows AS r MATCH (a:Person {id: r.id}) UNWIND r.knows AS other"
                      + " MATCH (b:Person {id: other}) MERGE (a)-[:KNOWS]->(b)")
              .with(ROWS),
          allowed(
                  "call_in_transactions",
                  "UNWIND $rows AS r CALL { WITH r CREATE (:Item {id: r.id}) }"
                      + " IN TRANSACTIONS OF 500 ROWS")
              .with(ROWS),
          allowed(
                  "call_in_transactions_with_scope_errors_and_status",
                  "UNWIND $rows AS r CALL (r) { MERGE (:Item {id: r.id}) } IN TRANSACTIONS"
                      + " OF 100 ROWS ON ERROR CONTINUE REPORT STATUS AS s RETURN s.committed")
              .with(ROWS),
          allowed(
                  "load_csv_from_an_allowed_https_url",
                  "LOAD CSV WITH HEADERS FROM '"
                      + PEOPLE_CSV
                      + "' AS row"
                      + " MERGE (p:Person {id: toInteger(row.id)}) SET p.name = row.name")
              .under(Grants.WRITE_WITH_REMOTE_CSV),
          allowed(
                  "load_csv_from_an_https_url_parameter_in_transactions",
                  "LOAD CSV WITH HEADERS FROM $url AS row CALL { WITH row"
                      + " MERGE (:Person {id: toInteger(row.id)}) } IN TRANSACTIONS OF 1000 ROWS")
              .with(Map.of("url", PEOPLE_CSV))
              .under(Grants.WRITE_WITH_REMOTE_CSV),
          allowed("db_labels", "CALL db.labels()"),
          allowed(
              "db_labels_and_types_yielded",
              "CALL db.labels() YIELD label RETURN label ORDER BY label"),
          allowed(
              "schema_visualisation", "CALL db.schema.visualization() YIELD nodes, relationships"),
          allowed(
              "server_components",
              "CALL dbms.components() YIELD name, versions, edition RETURN name, edition"),
          allowed(
              "fulltext_index_query",
              "CALL db.index.fulltext.queryNodes('people', 'ada') YIELD node, score"
                  + " RETURN node.name, score"),
          allowed("wait_for_indexes", "CALL db.awaitIndexes(300)"),
          allowed("explain_of_an_allowed_query", "EXPLAIN MATCH (p:Person) RETURN p.name"),
          allowed(
              "cypher_5_and_runtime_prefixes",
              "CYPHER 5 runtime=slotted MATCH (p:Person) RETURN count(p) AS people"),
          allowed(
                  "parameters_of_every_type",
                  "RETURN $text AS text, $integer AS integer, $float AS float,"
                      + " $boolean AS boolean, $nothing AS nothing, $list AS list, $map AS map,"
                      + " $bytes AS bytes, $date AS date, $time AS time, $localTime AS localTime,"
                      + " $dateTime AS dateTime, $localDateTime AS localDateTime,"
                      + " $duration AS duration, $point AS point")
              .with(everyType()),
          allowed(
              "match_with_aggregation",
              "MATCH (p:Person)-[:KNOWS]->(f:Person) RETURN p.name AS name, count(f) AS friends,"
                  + " collect(f.name)[..3] AS some ORDER BY friends DESC LIMIT 10"),
          allowed(
              "optional_match_exists_and_count_subqueries",
              "MATCH (p:Person) OPTIONAL MATCH (p)-[:KNOWS]->(f) WHERE EXISTS { (f)-[:KNOWS]->() }"
                  + " RETURN p.name, COUNT { (p)--() } AS degree, f"),
          allowed(
              "union_of_reads",
              "MATCH (p:Person) RETURN p.name AS name UNION MATCH (i:Item) RETURN i.name AS name"),
          allowed(
              "built_in_namespaced_functions",
              "RETURN point.distance(point({x: 0, y: 0}), point({x: 3, y: 4})) AS d,"
                  + " date.truncate('month', date()) AS month,"
                  + " duration.between(date('2024-01-01'), date()) AS age,"
                  + " vector.similarity.cosine([1.0, 0.0], [0.0, 1.0]) AS similarity"),
          allowed(
              "built_in_function_names_in_any_case",
              "RETURN toUpper('a') AS a, DATE.TRUNCATE('day', DATE()) AS d"),
          allowed("use_of_the_granted_database", "USE neo4j MATCH (n) RETURN count(n) AS n"),
          allowed("use_of_the_granted_database_in_upper_case", "USE `NEO4J` RETURN 1 AS one"),
          allowed("foreach_write", "FOREACH (x IN range(1, 10) | CREATE (:Number {value: x}))"),
          allowed("dynamic_labels", "UNWIND $rows AS r MERGE (n:Thing {id: r.id}) SET n:$(r.kind)")
              .with(ROWS),
          allowed("clean_up", "MATCH (n) DETACH DELETE n"),
          allowed(
              "unicode_escape_inside_a_string",
              "CREATE (:City {name: 'Z\\u00fcrich', quote: 'It\\'s \\u005C\\u005C fine'})"),
          allowed(
              "keywords_inside_strings_and_comments",
              "CREATE (:Note {text: 'CREATE USER evil; CALL dbms.killConnections([])'})"
                  + " // SHOW USERS; USE system"),
          allowed("trailing_semicolon", "MATCH (n) RETURN count(n) AS n;"),
          allowed(
              "semicolon_and_call_in_a_comment",
              "MATCH (n) RETURN n // ; CALL dbms.killConnections([])"),
          allowed(
                  "create_index_with_schema",
                  "CREATE INDEX person_name IF NOT EXISTS FOR (p:Person) ON (p.name)")
              .under(Grants.WRITE_WITH_SCHEMA),
          allowed(
                  "create_constraint_with_schema",
                  "CREATE CONSTRAINT person_id IF NOT EXISTS FOR (p:Person) REQUIRE p.id IS UNIQUE")
              .under(Grants.WRITE_WITH_SCHEMA),
          allowed(
                  "create_fulltext_index_with_schema",
                  "CREATE FULLTEXT INDEX people IF NOT EXISTS FOR (p:Person) ON EACH [p.name]")
              .under(Grants.WRITE_WITH_SCHEMA),
          allowed(
                  "create_vector_index_with_schema",
                  "CREATE VECTOR INDEX embeddings IF NOT EXISTS FOR (d:Doc) ON d.embedding"
                      + " OPTIONS {indexConfig: {`vector.dimensions`: 3,"
                      + " `vector.similarity_function`: 'cosine'}}")
              .under(Grants.WRITE_WITH_SCHEMA),
          allowed("drop_index_with_schema", "DROP INDEX person_name IF EXISTS")
              .under(Grants.WRITE_WITH_SCHEMA),
          allowed("show_indexes", "SHOW INDEXES"),
          allowed(
              "show_constraints_yield_where",
              "SHOW CONSTRAINTS YIELD name, type WHERE type = 'UNIQUENESS' RETURN name"),
          allowed("show_procedures", "SHOW PROCEDURES YIELD name, description"),
          allowed("show_functions", "SHOW FUNCTIONS"),
          allowed("read_on_a_read_grant", "MATCH (p:Person) RETURN p.name LIMIT 5")
              .under(Grants.READ),
          allowed("show_indexes_on_a_read_grant", "SHOW INDEXES").under(Grants.READ));

  private AllowedStatements() {}

  private static Case allowed(String name, String query) {
    return new Case(name, query, Map.of(), Grants.WRITE);
  }

  private static Map<String, Object> everyType() {
    Map<String, Object> values = new HashMap<>();
    values.put("text", "Grüße 🙂");
    values.put("integer", Long.MAX_VALUE);
    values.put("float", 1.5e-7);
    values.put("boolean", true);
    values.put("nothing", null);
    values.put("list", List.of(1L, "two", List.of(3.0), Map.of("four", 4L)));
    values.put("map", Map.of("nested", Map.of("list", List.of(true, false))));
    values.put("bytes", new byte[] {0, 1, (byte) 0xff});
    values.put("date", LocalDate.of(2024, 2, 29));
    values.put("time", OffsetTime.parse("12:34:56.789+02:00"));
    values.put("localTime", LocalTime.of(23, 59, 59));
    values.put("dateTime", ZonedDateTime.parse("2024-03-31T02:30:00+02:00[Europe/Berlin]"));
    values.put("localDateTime", LocalDateTime.of(2024, 1, 1, 0, 0));
    values.put("duration", Duration.ofSeconds(90061, 5));
    values.put("point", Values.point(4326, 8.54, 47.37).asPoint());
    return values;
  }
}
