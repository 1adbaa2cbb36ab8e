package io.neo4jaccess.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.neo4jaccess.testing.SharedNeo4j;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.neo4j.driver.Driver;
import org.neo4j.driver.Session;
import org.neo4j.driver.exceptions.Neo4jException;

/**
 * Every RUN passes the statement guard before it reaches Neo4j, in auto-commit and explicit
 * transactions; a refusal reaches the client as Forbidden with its reason and is audited by rule
 * and hash, never by text.
 */
class StatementGuardTest {

  private static final String FORBIDDEN_TEXT = "CREATE (:StatementGuardTest {forbidden: true})";

  private static final List<String> seen = new CopyOnWriteArrayList<>();
  private static final List<Map<String, Object>> decoded = new CopyOnWriteArrayList<>();

  @RegisterExtension
  static final GatewayFixture gateway =
      GatewayFixture.start(GatewaySettings.defaults(), StatementGuardTest::guard);

  private static GatewayFixture.Lease lease;
  private static Driver driver;

  /** Records what it is shown; refuses the forbidden text and throws on request. */
  private static GuardVerdict guard(
      String query, io.neo4jaccess.gateway.bolt.QueryParameters parameters, GatewayGrant grant) {
    seen.add(query);
    if (query.contains("$inspect")) {
      decoded.add(parameters.values());
    }
    if (query.contains("guard explodes")) {
      throw new IllegalStateException("a guard bug");
    }
    return query.equals(FORBIDDEN_TEXT)
        ? GuardVerdict.refused("test_rule", "this statement is not allowed for the test")
        : GuardVerdict.allowed();
  }

  @BeforeAll
  static void start() {
    lease = gateway.lease(Access.WRITE);
    driver = gateway.driver(lease);
  }

  @Test
  void the_guard_sees_auto_commit_queries() {
    try (Session s = driver.session()) {
      s.run("RETURN 'auto-commit' AS x").consume();
    }

    assertThat(seen).contains("RETURN 'auto-commit' AS x");
  }

  @Test
  void the_guard_sees_queries_inside_transactions() {
    try (Session s = driver.session();
        var tx = s.beginTransaction()) {
      tx.run("RETURN 'in a transaction' AS x").consume();
      tx.commit();
    }

    assertThat(seen).contains("RETURN 'in a transaction' AS x");
  }

  @Test
  void a_refused_query_reaches_the_client_as_forbidden_with_the_reason_and_not_neo4j() {
    try (Session s = driver.session()) {
      assertThatThrownBy(() -> s.run(FORBIDDEN_TEXT).consume())
          .isInstanceOf(Neo4jException.class)
          .satisfies(
              e ->
                  assertThat(((Neo4jException) e).code())
                      .isEqualTo("Neo.ClientError.Security.Forbidden"))
          .hasMessage("lease " + lease.id() + ": this statement is not allowed for the test");
    }

    assertThat(adminCount()).isZero();
  }

  @Test
  void a_refused_query_is_audited_by_rule_and_hash_never_by_text() {
    try (Session s = driver.session()) {
      assertThatThrownBy(() -> s.run(FORBIDDEN_TEXT).consume()).isInstanceOf(Neo4jException.class);
    }

    assertThat(gateway.audit.refused(lease.id()))
        .contains(
            new CountingAudit.Refused(lease.id(), "test_rule", RequestFlow.sha256(FORBIDDEN_TEXT)));
  }

  @Test
  void a_refusal_inside_a_transaction_leaves_the_session_usable() {
    try (Session s = driver.session()) {
      assertThatThrownBy(() -> s.executeWriteWithoutResult(tx -> tx.run(FORBIDDEN_TEXT).consume()))
          .isInstanceOf(Neo4jException.class);

      assertThat(s.run("RETURN 5 AS x").single().get("x").asInt()).isEqualTo(5);
    }
    assertThat(adminCount()).isZero();
  }

  @Test
  void parameters_are_decoded_only_for_a_guard_that_asks() {
    decoded.clear();
    try (Session s = driver.session()) {
      s.run("RETURN $p AS p", Map.of("p", 1)).consume();
      s.run(
              "RETURN $inspect AS p",
              Map.of("inspect", Map.of("day", LocalDate.of(2026, 1, 2), "n", 7, "s", "text")))
          .consume();
    }

    assertThat(decoded).hasSize(1);
    @SuppressWarnings("unchecked")
    Map<String, Object> inspected = (Map<String, Object>) decoded.get(0).get("inspect");
    assertThat(inspected).containsEntry("n", 7L).containsEntry("s", "text");
    assertThat(inspected.get("day")).isInstanceOf(io.neo4jaccess.gateway.bolt.PackStruct.class);
  }

  @Test
  void a_guard_that_fails_refuses_the_statement() {
    try (Session s = driver.session()) {
      assertThatThrownBy(() -> s.run("RETURN 'guard explodes'").consume())
          .isInstanceOf(Neo4jException.class)
          .hasMessageContaining("the statement could not be checked");
    }

    assertThat(gateway.audit.refused(lease.id()))
        .extracting(CountingAudit.Refused::rule)
        .contains("guard_failed");
  }

  private static long adminCount() {
    try (Session s = SharedNeo4j.admin().session()) {
      return s.run("MATCH (n:StatementGuardTest) RETURN count(n)").single().get(0).asLong();
    }
  }
}
