package io.neo4jaccess.lease;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.neo4jaccess.sweep.Sweeper;
import io.neo4jaccess.testing.BrokerTestResource;
import io.neo4jaccess.testing.SecretsSeen;
import io.neo4jaccess.testing.SharedNeo4j;
import io.neo4jaccess.testing.StateProbe;
import io.neo4jaccess.testing.TestLeases;
import io.neo4jaccess.testing.TestLeases.Made;
import io.neo4jaccess.testing.Webhooks;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.neo4j.driver.Session;
import org.neo4j.driver.SessionConfig;

/**
 * Leases the broker did not write, as someone with write access to the state store would write them
 * (no seal, a wrong one, a genuine lease altered), naming a human account on a target or another
 * job's user: whatever path comes across one, the user stays and can log in, and the lease is
 * reported by its id alone.
 */
@QuarkusTest
@WithTestResource(BrokerTestResource.class)
class ForgedLeaseTest {

  private static final Pattern FORGED_METRIC =
      Pattern.compile("broker_leases_forged_total\\{target=\"demo\"} ([0-9.]+)");

  @Inject Sweeper sweeper;

  /** An account the broker never created, on the target the leases name. */
  private String human;

  @BeforeEach
  void createHuman() {
    human = "alice_human_" + System.nanoTime();
    onTargetSystem(
        "CREATE USER $u SET PASSWORD $p CHANGE NOT REQUIRED",
        Map.of("u", human, "p", TestLeases.PASSWORD));
  }

  @AfterEach
  void dropHuman() {
    onTargetSystem("DROP USER $u IF EXISTS", Map.of("u", human));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"revoke_requested", "expired", "revoke_failed", "issuing", "revoking"})
  void an_unsealed_lease_in_any_state_the_sweeper_acts_on_is_left_alone(String state) {
    // Given a lease without a seal, due for the sweeper's step for its state, naming the human
    Made forged = TestLeases.create(due(state).username(human).unsealed());

    // When the sweeper runs after every grace has passed
    sweeper.sweepAt(Instant.now().plus(Duration.ofMinutes(3)));

    // Then the human still logs in, and the lease is as it was but for the stamp
    assertThat(StateProbe.logsIn(human, TestLeases.PASSWORD)).isTrue();
    assertThat(StateProbe.leaseState(forged.id()))
        .isEqualTo(state.equals("expired") ? "active" : state);
    assertThat(TestLeases.properties(forged.id())).containsKey("forgedAt");
  }

  @Test
  void a_wrongly_sealed_expired_lease_naming_another_jobs_user_is_left_alone() {
    // Given a job's genuine lease, and an expired lease with a made-up seal naming its user
    Made victim = TestLeases.create(TestLeases.lease());
    TestLeases.create(
        TestLeases.lease()
            .expiresAt(Instant.now().minusSeconds(1))
            .username(victim.username())
            .unsealed()
            .set("seal", "bm90IHRoZSBicm9rZXIncyBzZWFsIGF0IGFsbCEhIQ"));

    // When the sweeper runs
    sweeper.sweepOnce();

    // Then the job's user still logs in and its lease is active
    assertThat(StateProbe.logsIn(victim.username(), TestLeases.PASSWORD)).isTrue();
    assertThat(StateProbe.leaseState(victim.id())).isEqualTo("active");
  }

  @Test
  void a_genuine_lease_altered_to_name_a_human_account_is_left_alone() {
    // Given a genuine expired lease whose user name was changed to the human's
    Made genuine = TestLeases.create(TestLeases.lease().expiresAt(Instant.now().minusSeconds(1)));
    TestLeases.alter(genuine.id(), "username", human);

    // When the sweeper runs
    sweeper.sweepOnce();

    // Then the human still logs in, and the lease was not acted on
    assertThat(StateProbe.logsIn(human, TestLeases.PASSWORD)).isTrue();
    assertThat(StateProbe.leaseState(genuine.id())).isEqualTo("active");
  }

  @Test
  void a_genuine_lease_altered_to_name_another_targets_user_is_left_alone() {
    // Given a job's genuine lease on target fragile, and another genuine lease, requested for
    // revocation, altered to name that target and that job's user
    Made victim = TestLeases.create(TestLeases.lease().target("fragile", "fr_"));
    Made altered =
        TestLeases.create(
            TestLeases.lease()
                .state("revoke_requested")
                .set("revokeReason", "job_finished")
                .set("revokeRequestedAt", Instant.now()));
    TestLeases.alter(altered.id(), "target", "fragile");
    TestLeases.alter(altered.id(), "username", victim.username());

    // When the sweeper runs
    sweeper.sweepOnce();

    // Then the other job's user still logs in
    assertThat(StateProbe.logsIn(victim.username(), TestLeases.PASSWORD)).isTrue();
    assertThat(StateProbe.leaseState(altered.id())).isEqualTo("revoke_requested");
  }

  @Test
  void a_webhook_naming_the_jobs_of_forged_leases_leaves_them_alone() {
    // Given active unsealed leases of two jobs, one naming the human, one another job's user
    Made victim = TestLeases.create(TestLeases.lease());
    Made onHuman = TestLeases.create(TestLeases.lease().username(human).unsealed());
    Made onVictim = TestLeases.create(TestLeases.lease().username(victim.username()).unsealed());

    // When GitLab reports both jobs finished
    for (Made forged : List.of(onHuman, onVictim)) {
      Webhooks.deliver(
              Webhooks.jobHook(forged.projectId(), forged.pipelineId(), forged.jobId(), "success"),
              "Job Hook")
          .statusCode(200);
    }

    // Then neither lease was marked for revocation, and both users still log in
    assertThat(StateProbe.leaseState(onHuman.id())).isEqualTo("active");
    assertThat(StateProbe.leaseState(onVictim.id())).isEqualTo("active");
    assertThat(TestLeases.properties(onHuman.id())).containsKey("forgedAt");
    assertThat(StateProbe.logsIn(human, TestLeases.PASSWORD)).isTrue();
    assertThat(StateProbe.logsIn(victim.username(), TestLeases.PASSWORD)).isTrue();
  }

  @Test
  void reconciliation_leaves_a_forged_lease_of_a_finished_job_alone() {
    // Given an unsealed active lease naming the human, of a job GitLab reports finished
    Made forged = TestLeases.create(TestLeases.lease().username(human).unsealed());
    BrokerTestResource.gitlab().setJobStatus(forged.jobId(), "success");

    // When the sweeper reconciles it
    sweeper.sweepAt(Instant.now().plus(Duration.ofMinutes(2)));

    // Then the human still logs in and the lease is neither revoked nor checked
    assertThat(StateProbe.logsIn(human, TestLeases.PASSWORD)).isTrue();
    assertThat(StateProbe.leaseState(forged.id())).isEqualTo("active");
    assertThat(TestLeases.properties(forged.id())).doesNotContainKey("reconciledAt");
  }

  @Test
  void the_job_a_forged_lease_names_cannot_revoke_it_or_see_it() {
    // Given an unsealed active lease naming the human, held by a job
    Made forged = TestLeases.create(TestLeases.lease().username(human).unsealed());
    String token =
        BrokerTestResource.gitlab()
            .mint(BrokerTestResource.AUDIENCE, Map.of("job_id", String.valueOf(forged.jobId())));

    // When that job revokes it, and anyone reads its summary, then no such lease is found
    given()
        .header("Authorization", "Bearer " + token)
        .delete("/v1/leases/" + forged.id())
        .then()
        .statusCode(404);
    given().get("/v1/leases/" + forged.id()).then().statusCode(404);
    assertThat(StateProbe.logsIn(human, TestLeases.PASSWORD)).isTrue();
  }

  @Test
  void a_user_owned_only_by_a_forged_lease_is_an_orphan_and_dropped() {
    // Given a user with the target's prefix whose only lease is unsealed
    Made forged = TestLeases.create(TestLeases.lease().unsealed());

    // When the sweeper looks for orphans
    sweeper.sweepOnce();

    // Then the user is dropped, and the lease left as it was
    assertThat(TestLeases.userExists(forged.username())).isFalse();
    assertThat(StateProbe.leaseState(forged.id())).isEqualTo("active");
  }

  @Test
  void a_genuine_lease_the_graph_reaches_by_more_than_one_path_is_still_revoked() {
    // Given a genuine expired lease whose pipeline another project also ran (GitLab's pipeline
    // ids are unique, the stand-in's are not) and whose project and pipeline are linked twice; a
    // pipeline of its own, so that no other lease is written along these links
    Made lease =
        TestLeases.create(
            TestLeases.lease()
                .pipeline(System.nanoTime())
                .expiresAt(Instant.now().minusSeconds(1)));
    try (Session s = SharedNeo4j.stateAdmin().session()) {
      s.run(
              "MATCH (p:Project)-[:RAN]->(pl:Pipeline)-[:HAS]->(:Job)-[:HOLDS]->(:Lease {id: $id})"
                  + " MERGE (other:Project {key: 'main/23'})"
                  + " ON CREATE SET other.instance = 'main', other.id = 23"
                  + " CREATE (other)-[:RAN]->(pl), (p)-[:RAN]->(pl)",
              Map.of("id", lease.id()))
          .consume();
    }

    // When the sweeper runs
    sweeper.sweepOnce();

    // Then the lease is revoked as any other
    assertThat(StateProbe.leaseState(lease.id())).isEqualTo("revoked");
    assertThat(TestLeases.userExists(lease.username())).isFalse();
  }

  @Test
  void a_forged_lease_is_counted_once_and_logged_by_its_id_alone() throws IOException {
    // Given an unsealed lease requesting the human's revocation
    double before = forgedCount();
    Made forged =
        TestLeases.create(TestLeases.lease().state("revoke_requested").username(human).unsealed());

    // When two sweeps come across it
    sweeper.sweepOnce();
    sweeper.sweepOnce();

    // Then the metric counts it once, and the one log line about it names its id and nothing else
    assertThat(forgedCount()).isEqualTo(before + 1);
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(logLinesWith(forged.id()))
                    .singleElement()
                    .satisfies(
                        line ->
                            assertThat(line)
                                .endsWith(
                                    "forged or altered lease left alone: lease=" + forged.id())));
    assertThat(logLinesWith(human)).isEmpty();
  }

  /** A lease the sweeper's step for {@code state} finds due once every grace has passed. */
  private static TestLeases.Spec due(String state) {
    Instant past = Instant.now().minusSeconds(1);
    return switch (state) {
      case "expired" -> TestLeases.lease().expiresAt(past);
      case "revoke_requested" -> TestLeases.lease().state(state).set("revokeRequestedAt", past);
      case "revoke_failed" -> TestLeases.lease().state(state).set("nextAttemptAt", past);
      case "revoking" -> TestLeases.lease().state(state).set("revokingSince", past);
      default -> TestLeases.lease().state(state);
    };
  }

  private static double forgedCount() {
    String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
    Matcher m = FORGED_METRIC.matcher(metrics);
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }

  private static List<String> logLinesWith(String text) throws IOException {
    return Files.readAllLines(SecretsSeen.TEST_LOG).stream().filter(l -> l.contains(text)).toList();
  }

  private static void onTargetSystem(String statement, Map<String, Object> parameters) {
    try (Session s = SharedNeo4j.admin().session(SessionConfig.forDatabase("system"))) {
      s.run(statement, parameters).consume();
    }
  }
}
