package io.neo4jaccess.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.neo4jaccess.testing.SharedNeo4j;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.AbstractStringAssert;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.neo4j.driver.Driver;
import org.neo4j.driver.Session;
import org.neo4j.driver.SessionConfig;
import org.neo4j.driver.exceptions.Neo4jException;

/**
 * A READ grant holds whatever the client asks for: the gateway runs every transaction in READ mode
 * on the granted database, so Neo4j refuses writes and administration, and other databases are
 * refused before Neo4j sees the request. Each case checks the error the client sees, and that users
 * and data did not change.
 */
class ReadGrantTest {

  private static final String ACCESS_MODE = "Neo.ClientError.Statement.AccessMode";
  private static final String FORBIDDEN = "Neo.ClientError.Security.Forbidden";

  @RegisterExtension static final GatewayFixture gateway = GatewayFixture.start();
  private static GatewayFixture.Lease lease;
  private static Driver driver;
  private List<String> usersBefore;
  private List<Object> dataBefore;

  @BeforeAll
  static void start() {
    lease = gateway.lease(Access.READ);
    driver = gateway.driver(lease);
    admin("CREATE (:ReadGrantTest {k: 1, name: 'seed'})");
  }

  @AfterAll
  static void stop() {
    admin("MATCH (n:ReadGrantTest) DETACH DELETE n");
  }

  @BeforeEach
  void snapshot() {
    usersBefore = users();
    dataBefore = data();
  }

  @AfterEach
  void nothing_changed() {
    assertThat(users()).isEqualTo(usersBefore);
    assertThat(data()).isEqualTo(dataBefore);
  }

  @Test
  void reads_work() {
    try (Session s = driver.session()) {
      assertThat(
              s.run("MATCH (n:ReadGrantTest) RETURN n.name AS name")
                  .single()
                  .get("name")
                  .asString())
          .isEqualTo("seed");
    }
  }

  @Test
  void cannot_create() {
    refused("CREATE (:ReadGrantTest {name: 'created'})").isEqualTo(ACCESS_MODE);
  }

  @Test
  void cannot_merge() {
    refused("MERGE (:ReadGrantTest {name: 'merged'})").isEqualTo(ACCESS_MODE);
  }

  @Test
  void cannot_set() {
    refused("MATCH (n:ReadGrantTest) SET n.k = 2").isEqualTo(ACCESS_MODE);
  }

  @Test
  void cannot_write_in_transactions_of_a_call_subquery() {
    refused(
            "UNWIND range(1, 10) AS i CALL { WITH i CREATE (:ReadGrantTest {i: i}) }"
                + " IN TRANSACTIONS OF 2 ROWS")
        .isEqualTo(ACCESS_MODE);
  }

  @Test
  void cannot_create_an_index() {
    refused("CREATE INDEX read_grant_index FOR (n:ReadGrantTest) ON (n.k)").isEqualTo(ACCESS_MODE);
  }

  @Test
  void cannot_write_in_a_write_transaction_it_asked_for() {
    try (Session s = driver.session()) {
      assertThatThrownBy(
              () ->
                  s.executeWriteWithoutResult(
                      tx -> tx.run("CREATE (:ReadGrantTest {name: 'tx'})").consume()))
          .isInstanceOf(Neo4jException.class)
          .extracting(e -> ((Neo4jException) e).code())
          .isEqualTo(ACCESS_MODE);
    }
  }

  @Test
  void cannot_create_a_user() {
    refused("CREATE USER read_grant_evil SET PASSWORD 'evil-password-1' CHANGE NOT REQUIRED")
        .isEqualTo(ACCESS_MODE);
  }

  @Test
  void cannot_alter_another_user() {
    refused("ALTER USER neo4j SET PASSWORD 'hijacked-password-1'").isEqualTo(ACCESS_MODE);
  }

  @Test
  void cannot_alter_its_own_user() {
    refused(
            "ALTER CURRENT USER SET PASSWORD FROM '"
                + lease.password()
                + "' TO 'changed-password-1'")
        .isEqualTo(ACCESS_MODE);
  }

  @Test
  void cannot_stop_a_database() {
    refused("STOP DATABASE neo4j").isEqualTo(ACCESS_MODE);
  }

  @Test
  void cannot_begin_a_transaction_on_system() {
    try (Session s = driver.session(SessionConfig.forDatabase("system"))) {
      assertThatThrownBy(() -> s.executeRead(tx -> tx.run("SHOW USERS").list()))
          .isInstanceOf(Neo4jException.class)
          .satisfies(e -> assertThat(((Neo4jException) e).code()).isEqualTo(FORBIDDEN))
          .hasMessageContaining("lease " + lease.id() + " is granted database neo4j only");
    }
  }

  @Test
  void cannot_run_on_system() {
    try (Session s = driver.session(SessionConfig.forDatabase("system"))) {
      assertThatThrownBy(() -> s.run("SHOW USERS").list())
          .isInstanceOf(Neo4jException.class)
          .satisfies(e -> assertThat(((Neo4jException) e).code()).isEqualTo(FORBIDDEN))
          .hasMessageContaining("is granted database neo4j only");
    }
  }

  @Test
  void cannot_run_on_another_database() {
    try (Session s = driver.session(SessionConfig.forDatabase("other"))) {
      assertThatThrownBy(() -> s.run("RETURN 1").consume())
          .isInstanceOf(Neo4jException.class)
          .extracting(e -> ((Neo4jException) e).code())
          .isEqualTo(FORBIDDEN);
    }
  }

  @Test
  void other_databases_are_refused_by_rule() {
    try (Session s = driver.session(SessionConfig.forDatabase("system"))) {
      assertThatThrownBy(() -> s.run("RETURN 1").consume()).isInstanceOf(Neo4jException.class);
    }

    assertThat(gateway.audit.refused(lease.id()))
        .extracting(CountingAudit.Refused::rule)
        .contains(Enforcement.RULE_DATABASE);
  }

  /** The Neo4j code of the error an auto-commit {@code query} fails with. */
  private static AbstractStringAssert<?> refused(String query) {
    try (Session s = driver.session()) {
      Neo4jException error =
          catchThrowableOfType(() -> s.run(query).consume(), Neo4jException.class);
      assertThat(error).as(query).isNotNull();
      return assertThat(error.code()).as(query);
    }
  }

  private static List<String> users() {
    try (Session s = SharedNeo4j.admin().session(SessionConfig.forDatabase("system"))) {
      return s.run("SHOW USERS YIELD user RETURN user ORDER BY user")
          .list(r -> r.get(0).asString());
    }
  }

  /** Every node count, this test's nodes and every index: what a write would change. */
  private static List<Object> data() {
    try (Session s = SharedNeo4j.admin().session()) {
      return List.of(
          s.run("MATCH (n) RETURN count(n)").single().get(0).asLong(),
          s.run("MATCH (n:ReadGrantTest) RETURN collect(properties(n))").single().get(0).asList(),
          s.run("SHOW INDEXES YIELD name RETURN collect(name)").single().get(0).asList());
    }
  }

  private static void admin(String query) {
    try (Session s = SharedNeo4j.admin().session()) {
      s.run(query, Map.of()).consume();
    }
  }
}
