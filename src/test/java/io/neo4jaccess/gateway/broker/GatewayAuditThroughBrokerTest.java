package io.neo4jaccess.gateway.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.neo4jaccess.testing.BrokerTestResource;
import io.neo4jaccess.testing.GatewayJobs;
import io.neo4jaccess.testing.GatewayJobs.Project;
import io.neo4jaccess.testing.SharedNeo4j;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.neo4j.driver.Driver;
import org.neo4j.driver.Session;
import org.neo4j.driver.exceptions.Neo4jException;

/**
 * What a lease did through the gateway is recorded on it in the state graph and shown on its
 * summary: connections, transactions, queries run, and each refusal by rule and the SHA-256 of the
 * query, never its text.
 */
@QuarkusTest
@WithTestResource(BrokerTestResource.class)
class GatewayAuditThroughBrokerTest {

  private static final String ADMINISTRATION = "SHOW USERS";
  private static final String PROCEDURE = "CALL dbms.listConfig() YIELD name RETURN name";

  private static GatewayJobs.Issued job;

  /** Once, when the broker runs (before the first test; a static hook would run before it). */
  @BeforeEach
  void a_job_runs_and_is_refused() {
    if (job != null) {
      return;
    }
    job = GatewayJobs.exchange(Project.WRITE);
    try (Driver driver = GatewayJobs.driver(job);
        Session s = driver.session()) {
      s.run("RETURN 1").consume();
      s.executeWriteWithoutResult(tx -> tx.run("RETURN 2").consume());
      for (String refused : List.of(ADMINISTRATION, ADMINISTRATION, PROCEDURE)) {
        assertThatThrownBy(() -> s.run(refused).consume()).isInstanceOf(Neo4jException.class);
      }
    }
  }

  @Test
  void the_summary_counts_what_ran_and_what_was_refused() {
    JsonPath gateway = recorded();

    assertThat(gateway.getLong("connections")).isGreaterThanOrEqualTo(1);
    assertThat(gateway.getLong("transactions")).isEqualTo(1);
    assertThat(gateway.getLong("queries_run")).isEqualTo(2);
    assertThat(gateway.getLong("refused")).isEqualTo(3);
  }

  @Test
  void each_refusal_is_recorded_with_its_rule_and_the_hash_of_the_query() {
    List<Map<String, Object>> refusals = recorded().getList("refusals");

    assertThat(refusals)
        .extracting(r -> r.get("rule"), r -> r.get("query_sha256"), r -> r.get("count"))
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("administration", sha256(ADMINISTRATION), 2),
            org.assertj.core.groups.Tuple.tuple("procedure_not_allowed", sha256(PROCEDURE), 1));
  }

  @Test
  void no_query_text_reaches_the_state_graph() {
    recorded();
    try (Session s = SharedNeo4j.stateAdmin().session()) {
      long withText =
          s.run(
                  "MATCH (n) WHERE any(k IN keys(n) WHERE toStringOrNull(n[k]) CONTAINS 'SHOW USERS'"
                      + " OR toStringOrNull(n[k]) CONTAINS 'listConfig') RETURN count(n) AS n")
              .single()
              .get("n")
              .asLong();
      assertThat(withText).isZero();
    }
  }

  @Test
  void the_summary_page_shows_the_refusals_by_rule() {
    recorded();
    String page = GatewayJobs.summaryPage(job);

    assertThat(page)
        .contains("Through the gateway")
        .contains("<code>administration</code>")
        .contains("<code>procedure_not_allowed</code>")
        .doesNotContain("SHOW USERS")
        .doesNotContain("listConfig");
  }

  /** The summary's gateway section, once the audit wrote all three refusals. */
  private static JsonPath recorded() {
    return await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> JsonPath.from(Audits.summary(job.leaseId()).prettify()).setRootPath("gateway"),
            g -> g.getLong("refused") == 3 && g.getLong("queries_run") == 2);
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
