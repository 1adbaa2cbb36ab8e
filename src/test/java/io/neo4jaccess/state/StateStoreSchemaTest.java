package io.neo4jaccess.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.neo4jaccess.testing.SharedNeo4j;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.neo4j.driver.Session;

/**
 * Schema creation on the state store's real server: what the store lacks is created, what it has is
 * left as it is, and a statement that names nothing is refused. Each test uses names of its own.
 */
class StateStoreSchemaTest {

  private final StateStore store = new StateStore(SharedNeo4j.stateAdmin());
  private final String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 12);

  @Test
  void every_named_constraint_and_index_the_store_lacks_is_created() {
    // given
    List<String> schema = schema();

    // when
    store.createSchema(schema);

    // then
    assertThat(indexNames()).contains("schema_test_key_" + suffix, "schema_test_at_" + suffix);
  }

  @Test
  void a_restart_against_a_store_that_lost_one_index_creates_that_index_again() {
    // given
    store.createSchema(schema());
    run("DROP INDEX schema_test_at_" + suffix);

    // when
    store.createSchema(schema());

    // then
    assertThat(indexNames()).contains("schema_test_key_" + suffix, "schema_test_at_" + suffix);
  }

  @Test
  void a_schema_statement_that_names_nothing_is_refused_before_anything_is_created() {
    // given
    String unnamed = "CREATE INDEX IF NOT EXISTS FOR (n:SchemaTest" + suffix + ") ON (n.other)";

    // when / then
    assertThatIllegalArgumentException()
        .isThrownBy(() -> store.createSchema(List.of(schema().get(0), unnamed)));
    assertThat(indexNames()).noneMatch(name -> name.endsWith(suffix));
  }

  private List<String> schema() {
    String label = "SchemaTest" + suffix;
    return List.of(
        "CREATE CONSTRAINT schema_test_key_"
            + suffix
            + " IF NOT EXISTS FOR (n:"
            + label
            + ") REQUIRE n.key IS UNIQUE",
        "CREATE INDEX schema_test_at_" + suffix + " IF NOT EXISTS FOR (n:" + label + ") ON (n.at)");
  }

  private static List<String> indexNames() {
    try (Session s = SharedNeo4j.stateAdmin().session()) {
      return s.run("SHOW INDEXES YIELD name RETURN name").list(r -> r.get("name").asString());
    }
  }

  private static void run(String statement) {
    try (Session s = SharedNeo4j.stateAdmin().session()) {
      s.run(statement, Map.of()).consume();
    }
  }
}
