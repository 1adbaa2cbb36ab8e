package io.neo4jaccess.gateway.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.neo4jaccess.testing.BrokerTestResource;
import io.neo4jaccess.testing.GatewayJobs;
import io.neo4jaccess.testing.ServerSnapshot;
import io.neo4jaccess.testing.SharedNeo4j;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.neo4j.driver.Driver;
import org.neo4j.driver.Session;
import org.neo4j.driver.SessionConfig;
import org.neo4j.driver.exceptions.Neo4jException;

/**
 * A read grant holds through the real broker: a job of project {@code gated/read} exchanges its
 * token, connects to the gateway address it was given with the real Java driver, and cannot write,
 * administer or reach another database. Each case checks the error and that {@code SHOW USERS}, the
 * connections and the data are unchanged.
 */
@QuarkusTest
@WithTestResource(BrokerTestResource.class)
class ReadGrantThroughBrokerTest {

  private static final String FORBIDDEN = "Neo.ClientError.Security.Forbidden";

  private static GatewayJobs.Issued job;
  private static Driver driver;
  private ServerSnapshot before;

  @BeforeAll
  static void seed() {
    try (Session s = SharedNeo4j.admin().session()) {
      s.run("CREATE (:ReadThroughBroker {name: 'seed'})").consume();
    }
  }

  @AfterAll
  static void clean() {
    if (driver != null) {
      driver.close();
    }
    try (Session s = SharedNeo4j.admin().session()) {
      s.run("MATCH (n:ReadThroughBroker) DETACH DELETE n").consume();
    }
  }

  @BeforeEach
  void snapshot() {
    if (driver == null) {
      job = GatewayJobs.exchange(GatewayJobs.Project.READ);
      driver = GatewayJobs.driver(job);
    }
    before = ServerSnapshot.take();
  }

  @AfterEach
  void nothing_changed() {
    before.assertUnchanged();
  }

  @Test
  void a_read_grant_reads_the_granted_database() {
    try (Session s = driver.session()) {
      assertThat(s.run("MATCH (n:ReadThroughBroker) RETURN n.name AS name").single().get("name"))
          .hasToString("\"seed\"");
    }
  }

  @Test
  void create_is_refused() {
    assertRefused("CREATE (:ReadThroughBroker {name: 'written'})", "write_on_read_grant");
  }

  @Test
  void merge_is_refused() {
    assertRefused("MERGE (:ReadThroughBroker {name: 'merged'})", "write_on_read_grant");
  }

  @Test
  void set_is_refused() {
    assertRefused("MATCH (n:ReadThroughBroker) SET n.name = 'changed'", "write_on_read_grant");
  }

  @Test
  void call_in_transactions_is_refused() {
    assertRefused(
        "UNWIND range(1, 3) AS i CALL { WITH i CREATE (:ReadThroughBroker {i: i}) }"
            + " IN TRANSACTIONS",
        "write_on_read_grant");
  }

  @Test
  void index_creation_is_refused() {
    assertRefused(
        "CREATE INDEX read_through_broker FOR (n:ReadThroughBroker) ON (n.name)",
        "write_on_read_grant");
  }

  @Test
  void create_user_is_refused() {
    assertRefused(
        "CREATE USER read_evil SET PASSWORD 'evil-password' CHANGE NOT REQUIRED", "administration");
  }

  @Test
  void alter_user_is_refused() {
    assertRefused("ALTER USER neo4j SET PASSWORD 'taken-over-1'", "administration");
  }

  @Test
  void alter_current_user_is_refused() {
    assertRefused(
        "ALTER CURRENT USER SET PASSWORD FROM '" + job.password() + "' TO 'another-password'",
        "administration");
  }

  @Test
  void stop_database_is_refused() {
    assertRefused("STOP DATABASE neo4j", "administration");
  }

  @Test
  void a_session_on_another_database_is_refused() {
    try (Session s = driver.session(SessionConfig.forDatabase("system"))) {
      Neo4jException e =
          catchThrowableOfType(Neo4jException.class, () -> s.run("SHOW USERS").consume());

      assertThat(e.code()).isEqualTo(FORBIDDEN);
      assertThat(e.getMessage())
          .isEqualTo("lease " + job.leaseId() + " is granted database neo4j only");
    }
  }

  @Test
  void a_transaction_on_another_database_is_refused() {
    try (Session s = driver.session(SessionConfig.forDatabase("other"))) {
      Neo4jException e =
          catchThrowableOfType(
              Neo4jException.class, () -> s.executeRead(tx -> tx.run("RETURN 1").consume()));

      assertThat(e.code()).isEqualTo(FORBIDDEN);
      assertThat(e.getMessage()).contains("is granted database neo4j only");
    }
  }

  @Test
  void a_use_clause_naming_another_database_is_refused() {
    assertRefused("USE other MATCH (n) RETURN count(n)", "use_other_database");
  }

  @Test
  void use_system_is_refused() {
    assertRefused("USE system MATCH (n) RETURN count(n)", "use_other_database");
  }

  @Test
  void use_system_with_an_administration_command_is_refused() {
    assertRefused("USE system SHOW USERS", "administration");
  }

  /** Sends {@code query} auto-commit and in a read transaction; both are refused the same way. */
  private static void assertRefused(String query, String rule) {
    try (Session s = driver.session()) {
      Neo4jException autoCommit =
          catchThrowableOfType(Neo4jException.class, () -> s.run(query).consume());
      Neo4jException inTransaction =
          catchThrowableOfType(
              Neo4jException.class, () -> s.executeRead(tx -> tx.run(query).consume()));

      for (Neo4jException e : new Neo4jException[] {autoCommit, inTransaction}) {
        assertThat(e.code()).as(rule).isEqualTo(FORBIDDEN);
        assertThat(e.getMessage()).startsWith("lease " + job.leaseId() + ": ");
      }
    }
    Audits.awaitRefusal(job.leaseId(), rule);
  }
}
