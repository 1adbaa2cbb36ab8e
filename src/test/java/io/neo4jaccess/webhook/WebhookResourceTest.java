package io.neo4jaccess.webhook;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.neo4jaccess.testing.BrokerTestResource;
import io.neo4jaccess.testing.GitLabStandIn;
import io.neo4jaccess.testing.StateProbe;
import io.neo4jaccess.testing.TestLeases;
import io.neo4jaccess.testing.Webhooks;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.neo4j.driver.Driver;
import org.neo4j.driver.Session;
import org.neo4j.driver.Transaction;
import org.neo4j.driver.exceptions.AuthenticationException;

@QuarkusTest
@WithTestResource(BrokerTestResource.class)
class WebhookResourceTest {

  /** Each test's jobs run in a pipeline of their own, so pipeline events touch only them. */
  private static final AtomicLong PIPELINES = new AtomicLong(70_000 + System.nanoTime() % 10_000);

  /**
   * How long behaviour tests wait for a revocation to show. Not a latency target (the first test
   * measures that, warm): a cold server plans each new revocation statement on first use, which
   * takes seconds on a loaded machine.
   */
  static final Duration REVOKED_WITHIN = Duration.ofSeconds(15);

  record Issued(String leaseId, String username, String password, long jobId, long pipelineId) {}

  static Issued exchange(long pipelineId, Map<String, Object> overrides) {
    return exchange(
        BrokerTestResource.gitlab(), BrokerTestResource.AUDIENCE, pipelineId, overrides);
  }

  /** A job of the given GitLab instance exchanges its ID token. */
  static Issued exchange(
      GitLabStandIn gitlab, String audience, long pipelineId, Map<String, Object> overrides) {
    Map<String, Object> claims = new java.util.HashMap<>(overrides);
    claims.put("pipeline_id", String.valueOf(pipelineId));
    String token = gitlab.mint(audience, claims);
    JsonPath issued =
        given()
            .header("Authorization", "Bearer " + token)
            .post("/v1/exchange")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    String leaseId = issued.getString("lease_id");
    long jobId = given().get("/v1/leases/" + leaseId).then().extract().jsonPath().getLong("job_id");
    return new Issued(
        leaseId, issued.getString("username"), issued.getString("password"), jobId, pipelineId);
  }

  static Issued exchange() {
    return exchange(PIPELINES.incrementAndGet(), Map.of());
  }

  @Test
  void job_finished_cuts_the_user_and_its_open_session_within_one_second() {
    // The in-process server plans and compiles the termination queries on their first use (seconds
    // on a cold JVM, measured); a production server is warm. One untimed round first.
    long cold = jobFinishedCutsOff(Duration.ofSeconds(30));
    long warm = jobFinishedCutsOff(Duration.ofSeconds(1));
    System.out.printf(
        "MEASURE webhook 2xx -> user dropped and sessions cut: cold %d ms, warm %d ms%n",
        cold, warm);
  }

  /** One job end, start to finish; returns the milliseconds from the 2xx to the cut. */
  private static long jobFinishedCutsOff(Duration atMost) {
    // Given a job holding credentials, with a transaction open and an idle pooled connection
    Issued job = exchange();
    long elapsed;
    try (Driver driver = StateProbe.loginAs(job.username(), job.password());
        Session open = driver.session();
        Session idle = driver.session()) {
      idle.run("RETURN 1").consume();
      Transaction tx = open.beginTransaction();
      tx.run("CREATE (:WrittenBeforeRevocation)").consume();

      // When GitLab reports the job finished (the documented Job Hook payload)
      assertThat(
              Webhooks.answer(
                  Webhooks.deliver(
                      Webhooks.jobHook(22, job.pipelineId(), job.jobId(), "success"), "Job Hook"),
                  200))
          .containsEntry("status", "accepted")
          .containsEntry("revocations_requested", 1);
      Instant answered = Instant.now();

      // Then within the limit the user is gone and the lease revoked (after the connections
      // were killed: the lease is marked revoked only when revokeUser returned) ...
      await()
          .atMost(atMost)
          .pollInterval(Duration.ofMillis(10))
          .until(
              () ->
                  "revoked".equals(StateProbe.leaseState(job.leaseId()))
                      && !StateProbe.brokerUsers().contains(job.username()));
      elapsed = Duration.between(answered, Instant.now()).toMillis();
      // ... the transaction opened before revocation is dead, so is the open connection ...
      assertThatThrownBy(() -> tx.run("MATCH (n) RETURN count(n)").consume())
          .isInstanceOf(org.neo4j.driver.exceptions.Neo4jException.class);
      assertThatThrownBy(() -> idle.run("RETURN 1").consume())
          .isInstanceOf(org.neo4j.driver.exceptions.Neo4jException.class);
    }
    // ... and a new login fails
    try (Driver again = StateProbe.loginAs(job.username(), job.password())) {
      assertThatThrownBy(again::verifyConnectivity).isInstanceOf(AuthenticationException.class);
    }
    assertThat(Webhooks.answer(given().get("/v1/leases/" + job.leaseId()).then(), 200))
        .containsEntry("state", "revoked")
        .containsEntry("revoke_reason", "job_finished");
    return elapsed;
  }

  @Test
  void duplicate_and_out_of_order_deliveries_revoke_once() {
    Issued job = exchange();
    ObjectNode success = Webhooks.jobHook(22, job.pipelineId(), job.jobId(), "success");
    String key = UUID.randomUUID().toString();

    // When the same delivery arrives twice (GitLab retry or manual resend keep the key) ...
    assertThat(
            Webhooks.answer(
                Webhooks.post(Webhooks.bytes(success), Webhooks.tokenHeaders("Job Hook", key)),
                200))
        .containsEntry("status", "accepted");
    assertThat(
            Webhooks.answer(
                Webhooks.post(Webhooks.bytes(success), Webhooks.tokenHeaders("Job Hook", key)),
                200))
        .containsEntry("status", "duplicate");
    // ... an older status arrives late, and another final status with a key of its own
    assertThat(
            Webhooks.answer(
                Webhooks.deliver(
                    Webhooks.jobHook(22, job.pipelineId(), job.jobId(), "running"), "Job Hook"),
                200))
        .containsEntry("status", "ignored");
    assertThat(
            Webhooks.answer(
                Webhooks.deliver(
                    Webhooks.jobHook(22, job.pipelineId(), job.jobId(), "failed"), "Job Hook"),
                200))
        .containsEntry("revocations_requested", 0);

    // Then the lease was revoked exactly once
    await()
        .atMost(REVOKED_WITHIN)
        .until(() -> "revoked".equals(StateProbe.leaseState(job.leaseId())));
    assertThat(TestLeases.revocations(job.leaseId())).isEqualTo(1);
    assertThat(StateProbe.brokerUsers()).doesNotContain(job.username());
  }

  @Test
  void wrong_secret_or_bad_signature_is_401_and_changes_nothing() {
    Issued job = exchange();
    byte[] body = Webhooks.bytes(Webhooks.jobHook(22, job.pipelineId(), job.jobId(), "success"));
    long now = Instant.now().getEpochSecond();
    String key = UUID.randomUUID().toString();
    String wrongKey = "whsec_" + java.util.Base64.getEncoder().encodeToString(new byte[32]);
    Map<String, Long> before = StateProbe.webhookCounts();

    Map<String, Map<String, String>> refused = new java.util.LinkedHashMap<>();
    Map<String, String> wrongToken = Webhooks.tokenHeaders("Job Hook", key);
    wrongToken.put("X-Gitlab-Token", "not-the-secret");
    refused.put("wrong_token", wrongToken);
    Map<String, String> noToken = Webhooks.tokenHeaders("Job Hook", key);
    noToken.remove("X-Gitlab-Token");
    refused.put("no_token", noToken);
    Map<String, String> prefixOfToken = Webhooks.tokenHeaders("Job Hook", key);
    prefixOfToken.put("X-Gitlab-Token", BrokerTestResource.WEBHOOK_SECRET.substring(0, 10));
    refused.put("token_prefix", prefixOfToken);
    Map<String, String> otherInstance = Webhooks.tokenHeaders("Job Hook", key);
    otherInstance.put("X-Gitlab-Token", BrokerTestResource.OTHER_WEBHOOK_SECRET);
    otherInstance.put("X-Gitlab-Instance", BrokerTestResource.gitlab().url());
    refused.put("secret_of_another_instance", otherInstance);
    Map<String, String> unknownInstance = Webhooks.tokenHeaders("Job Hook", key);
    unknownInstance.put("X-Gitlab-Instance", "https://gitlab.unknown.example");
    refused.put("unknown_instance", unknownInstance);
    refused.put(
        "signed_with_wrong_key", Webhooks.signedHeaders("Job Hook", key, body, wrongKey, now));
    refused.put(
        "stale_timestamp",
        Webhooks.signedHeaders(
            "Job Hook", key, body, BrokerTestResource.SIGNING_SECRET, now - 301));
    Map<String, String> badSignatureGoodToken =
        Webhooks.signedHeaders("Job Hook", key, body, wrongKey, now);
    badSignatureGoodToken.put("X-Gitlab-Token", BrokerTestResource.WEBHOOK_SECRET);
    refused.put("bad_signature_with_good_token", badSignatureGoodToken);
    Map<String, String> tampered =
        Webhooks.signedHeaders("Job Hook", key, body, BrokerTestResource.SIGNING_SECRET, now);
    refused.put("tampered_body", tampered);

    refused.forEach(
        (name, headers) -> {
          byte[] sent = name.equals("tampered_body") ? tamper(body) : body;
          var answer = Webhooks.post(sent, headers).contentType("application/problem+json");
          assertThat(Webhooks.answer(answer, 401))
              .as(name)
              .containsEntry("code", "webhook_unauthorized");
        });

    assertThat(StateProbe.leaseState(job.leaseId())).isEqualTo("active");
    assertThat(StateProbe.brokerUsers()).contains(job.username());
    assertThat(StateProbe.webhookCounts()).isEqualTo(before);

    // And the correctly signed delivery, with no X-Gitlab-Token at all, is accepted
    assertThat(
            Webhooks.answer(
                Webhooks.post(
                    body,
                    Webhooks.signedHeaders(
                        "Job Hook", key, body, BrokerTestResource.SIGNING_SECRET, now)),
                200))
        .containsEntry("status", "accepted");
    await()
        .atMost(REVOKED_WITHIN)
        .until(() -> "revoked".equals(StateProbe.leaseState(job.leaseId())));
  }

  private static byte[] tamper(byte[] body) {
    String s = new String(body, java.nio.charset.StandardCharsets.UTF_8);
    return s.replace("\"success\"", "\"failed\"").getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  @Test
  void a_job_event_naming_another_project_or_instance_revokes_nothing() {
    Issued job = exchange();

    // Same job id, another project
    assertThat(
            Webhooks.answer(
                Webhooks.deliver(
                    Webhooks.jobHook(999, job.pipelineId(), job.jobId(), "success"), "Job Hook"),
                200))
        .containsEntry("revocations_requested", 0);
    // Same project and job id, but sent by the other GitLab instance, signed with its own key
    byte[] body = Webhooks.bytes(Webhooks.jobHook(22, job.pipelineId(), job.jobId(), "success"));
    Map<String, String> otherInstance =
        Webhooks.signedHeaders(
            "Job Hook",
            UUID.randomUUID().toString(),
            body,
            BrokerTestResource.OTHER_SIGNING_SECRET,
            Instant.now().getEpochSecond());
    assertThat(Webhooks.answer(Webhooks.post(body, otherInstance), 200))
        .containsEntry("revocations_requested", 0);

    assertThat(StateProbe.leaseState(job.leaseId())).isEqualTo("active");
  }

  @Test
  void a_stop_job_revokes_every_lease_of_its_environment_only() {
    long pipeline = PIPELINES.incrementAndGet();
    Issued a = exchange(pipeline, Map.of("environment", "review/feature-x"));
    Issued b = exchange(pipeline, Map.of("environment", "review/feature-x"));
    Issued elsewhere = exchange(pipeline, Map.of("environment", "review/other"));

    ObjectNode stop = Webhooks.stopJobHook(22, pipeline, a.jobId() + 100_000, "review/feature-x");
    assertThat(Webhooks.answer(Webhooks.deliver(stop, "Job Hook"), 200))
        .containsEntry("revocations_requested", 2);

    await()
        .atMost(REVOKED_WITHIN)
        .until(
            () ->
                "revoked".equals(StateProbe.leaseState(a.leaseId()))
                    && "revoked".equals(StateProbe.leaseState(b.leaseId())));
    assertThat(StateProbe.leaseState(elsewhere.leaseId())).isEqualTo("active");
    assertThat(Webhooks.answer(given().get("/v1/leases/" + a.leaseId()).then(), 200))
        .containsEntry("revoke_reason", "environment_stopped");
  }

  @Test
  void a_pipeline_hook_revokes_the_leases_of_the_builds_it_lists_as_finished() {
    // Given three jobs of one pipeline holding leases
    long pipeline = PIPELINES.incrementAndGet();
    Issued skipped = exchange(pipeline, Map.of());
    Issued succeeded = exchange(pipeline, Map.of());
    Issued created = exchange(pipeline, Map.of());

    // When the documented Pipeline Hook lists them as skipped, success and created
    ObjectNode hook = pipelineHook(pipeline, "success");
    ArrayNode builds = (ArrayNode) hook.get("builds");
    build(builds, 380).put("id", skipped.jobId());
    build(builds, 377).put("id", succeeded.jobId());
    build(builds, 379).put("id", created.jobId());
    assertThat(Webhooks.answer(Webhooks.deliver(hook, "Pipeline Hook"), 200))
        .containsEntry("revocations_requested", 2);

    // Then the finished builds' leases are revoked, and the one still to run keeps its lease
    await()
        .atMost(REVOKED_WITHIN)
        .until(
            () ->
                Stream.of(skipped, succeeded)
                    .allMatch(j -> "revoked".equals(StateProbe.leaseState(j.leaseId()))));
    assertThat(StateProbe.leaseState(created.leaseId())).isEqualTo("active");
    assertThat(Webhooks.answer(given().get("/v1/leases/" + succeeded.leaseId()).then(), 200))
        .containsEntry("revoke_reason", "job_finished");
  }

  @Test
  void a_late_pipeline_hook_leaves_a_retried_jobs_new_lease_alone() {
    // Given a job that failed, and its retry (same name, new job id) holding a new lease
    long pipeline = PIPELINES.incrementAndGet();
    Issued failed = exchange(pipeline, Map.of());
    Issued retry = exchange(pipeline, Map.of());

    // When the Pipeline Hook sent before the retry arrives now: the pipeline failed, listing the
    // failed job
    ObjectNode hook = pipelineHook(pipeline, "failed");
    ArrayNode builds = (ArrayNode) hook.get("builds");
    ObjectNode old = build(builds, 378).put("id", failed.jobId());
    builds.removeAll();
    builds.add(old);
    assertThat(Webhooks.answer(Webhooks.deliver(hook, "Pipeline Hook"), 200))
        .containsEntry("revocations_requested", 1);

    // Then only the failed job's lease ends
    await()
        .atMost(REVOKED_WITHIN)
        .until(() -> "revoked".equals(StateProbe.leaseState(failed.leaseId())));
    assertThat(StateProbe.leaseState(retry.leaseId())).isEqualTo("active");
  }

  /** The documented Pipeline Hook, for one pipeline of project 22. */
  private static ObjectNode pipelineHook(long pipeline, String status) {
    ObjectNode hook = Webhooks.fixture("pipeline_hook.json");
    ((ObjectNode) hook.get("object_attributes")).put("id", pipeline).put("status", status);
    ((ObjectNode) hook.get("project")).put("id", 22);
    return hook;
  }

  /** The fixture's build with the documented id. */
  private static ObjectNode build(ArrayNode builds, long documentedId) {
    for (var b : builds) {
      if (b.get("id").asLong() == documentedId) {
        return (ObjectNode) b;
      }
    }
    throw new IllegalArgumentException("no build " + documentedId + " in the fixture");
  }

  @Test
  void a_signed_delivery_replayed_under_a_new_idempotency_key_changes_nothing() {
    // Given an environment's stop job, signed and accepted
    long pipeline = PIPELINES.incrementAndGet();
    Issued before = exchange(pipeline, Map.of("environment", "review/replayed"));
    byte[] stop =
        Webhooks.bytes(
            Webhooks.stopJobHook(22, pipeline, before.jobId() + 100_000, "review/replayed"));
    Map<String, String> signed =
        Webhooks.signedHeaders(
            "Job Hook",
            UUID.randomUUID().toString(),
            stop,
            BrokerTestResource.SIGNING_SECRET,
            Instant.now().getEpochSecond());
    assertThat(Webhooks.answer(Webhooks.post(stop, signed), 200))
        .containsEntry("revocations_requested", 1);
    // ... and a lease issued in that environment since
    Issued after = exchange(pipeline, Map.of("environment", "review/replayed"));

    // When someone who captured the delivery replays it within the signature's tolerance, under
    // headers of its own that no signature covers
    Map<String, String> replay = new java.util.LinkedHashMap<>(signed);
    replay.put("Idempotency-Key", UUID.randomUUID().toString());
    replay.put("X-Gitlab-Event-UUID", UUID.randomUUID().toString());
    assertThat(Webhooks.answer(Webhooks.post(stop, replay), 200))
        .containsEntry("status", "duplicate");

    // Then the new lease is untouched
    assertThat(StateProbe.leaseState(after.leaseId())).isEqualTo("active");
  }

  @Test
  void an_instance_that_requires_signatures_refuses_its_secret_token_alone() {
    // Given a job of instance other, which accepts signed webhooks only
    Issued job =
        exchange(
            BrokerTestResource.otherGitlab(),
            BrokerTestResource.OTHER_AUDIENCE,
            PIPELINES.incrementAndGet(),
            Map.of());
    Map<String, Long> before = StateProbe.webhookCounts();

    // When its job's end is sent with other's secret token and no signature
    Map<String, String> tokenOnly =
        Webhooks.tokenHeaders(
            "Job Hook", UUID.randomUUID().toString(), BrokerTestResource.OTHER_WEBHOOK_SECRET);
    byte[] body = Webhooks.bytes(Webhooks.jobHook(22, job.pipelineId(), job.jobId(), "success"));
    assertThat(Webhooks.answer(Webhooks.post(body, tokenOnly), 401))
        .containsEntry("code", "webhook_unauthorized");

    // Then nothing changed
    assertThat(StateProbe.leaseState(job.leaseId())).isEqualTo("active");
    assertThat(StateProbe.webhookCounts()).isEqualTo(before);
  }

  @Test
  void a_deployment_event_drops_the_projects_cached_facts() {
    exchange(); // warms the fact cache of project 22
    int warm = BrokerTestResource.gitlab().apiCalls();
    exchange();
    assertThat(BrokerTestResource.gitlab().apiCalls()).isEqualTo(warm);

    ObjectNode hook = Webhooks.fixture("deployment_hook.json");
    ((ObjectNode) hook.get("project")).put("id", 22);
    assertThat(Webhooks.answer(Webhooks.deliver(hook, "Deployment Hook"), 200))
        .containsEntry("status", "accepted");

    exchange();
    assertThat(BrokerTestResource.gitlab().apiCalls()).isGreaterThan(warm);
  }

  @Test
  void bad_bodies_are_refused_and_unknown_events_ignored() {
    Map<String, Long> before = StateProbe.webhookCounts();
    byte[] huge = new byte[1024 * 1024 + 1];
    Arrays.fill(huge, (byte) ' ');
    assertThat(
            Webhooks.answer(
                Webhooks.post(
                    huge, Webhooks.tokenHeaders("Job Hook", UUID.randomUUID().toString())),
                413))
        .containsEntry("code", "payload_too_large");
    for (String body : new String[] {"{", "[]", "\"build\"", "{\"object_kind\": \"build\"}"}) {
      var refused =
          Webhooks.post(
              body.getBytes(java.nio.charset.StandardCharsets.UTF_8),
              Webhooks.tokenHeaders("Job Hook", UUID.randomUUID().toString()));
      assertThat(Webhooks.answer(refused, 400)).as(body).containsEntry("code", "bad_request");
    }
    assertThat(
            Webhooks.answer(
                Webhooks.deliver(Map.of("object_kind", "push", "project_id", 22), "Push Hook"),
                200))
        .containsEntry("status", "ignored");
    assertThat(StateProbe.webhookCounts()).isEqualTo(before);
  }
}
