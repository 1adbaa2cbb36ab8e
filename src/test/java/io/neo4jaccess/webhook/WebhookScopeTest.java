package io.neo4jaccess.webhook;

import static io.neo4jaccess.webhook.WebhookResourceTest.REVOKED_WITHIN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.neo4jaccess.testing.BrokerTestResource;
import io.neo4jaccess.testing.StateProbe;
import io.neo4jaccess.testing.Webhooks;
import io.neo4jaccess.webhook.WebhookResourceTest.Issued;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * A hook speaks only for the projects or groups it is configured for: hook {@code app} of instance
 * {@code main} names the project demo/app (id 22); demo/web (id 23) is another project of the same
 * group. Scopes are checked against the project as the broker recorded it from verified ID tokens,
 * whatever the payload says of itself.
 */
@QuarkusTest
@WithTestResource(BrokerTestResource.class)
class WebhookScopeTest {

  private static final AtomicLong PIPELINES = new AtomicLong(90_000 + System.nanoTime() % 10_000);

  private static final Map<String, Object> DEMO_WEB =
      Map.of(
          "project_id", "23",
          "job_project_id", "23",
          "project_path", "demo/web",
          "job_project_path", "demo/web");

  /** Posts a payload as hook app would; returns the answer, which must be a 200. */
  private static Map<String, Object> sentByAppHook(ObjectNode payload, String event) {
    return Webhooks.answer(
        Webhooks.post(
            Webhooks.bytes(payload),
            Webhooks.tokenHeaders(
                event, UUID.randomUUID().toString(), BrokerTestResource.APP_HOOK_SECRET)),
        200);
  }

  @Test
  void a_hook_ends_the_leases_of_a_project_in_its_scope() {
    // Given a job of demo/app holding a lease
    Issued job = WebhookResourceTest.exchange(PIPELINES.incrementAndGet(), Map.of());

    // When the app hook reports the job finished
    assertThat(
            sentByAppHook(
                Webhooks.jobHook(22, job.pipelineId(), job.jobId(), "success"), "Job Hook"))
        .containsEntry("status", "accepted")
        .containsEntry("revocations_requested", 1);

    // Then the lease is revoked
    await()
        .atMost(REVOKED_WITHIN)
        .until(() -> "revoked".equals(StateProbe.leaseState(job.leaseId())));
  }

  @Test
  void a_hook_cannot_end_a_lease_of_a_project_outside_its_scope() {
    // Given a job of demo/web holding a lease
    Issued job = WebhookResourceTest.exchange(PIPELINES.incrementAndGet(), DEMO_WEB);
    Map<String, Long> before = StateProbe.webhookCounts();

    // When the app hook reports that job finished, its payload claiming to be about demo/app
    ObjectNode forged = Webhooks.jobHook(23, job.pipelineId(), job.jobId(), "success");
    ((ObjectNode) forged.get("project")).put("path_with_namespace", "demo/app");
    forged.put("project_name", "demo/app");
    assertThat(sentByAppHook(forged, "Job Hook"))
        .containsEntry("status", "ignored")
        .containsEntry("revocations_requested", 0);

    // Then nothing changed: the lease is active and no delivery was recorded
    assertThat(StateProbe.leaseState(job.leaseId())).isEqualTo("active");
    assertThat(StateProbe.webhookCounts()).isEqualTo(before);
  }

  @Test
  void a_hook_cannot_stop_an_environment_of_a_project_outside_its_scope() {
    // Given a job of demo/web holding a lease in environment review/web
    long pipeline = PIPELINES.incrementAndGet();
    Map<String, Object> claims = new java.util.HashMap<>(DEMO_WEB);
    claims.put("environment", "review/web");
    Issued job = WebhookResourceTest.exchange(pipeline, claims);

    // When the app hook reports a stop job of that environment
    assertThat(
            sentByAppHook(
                Webhooks.stopJobHook(23, pipeline, job.jobId() + 100_000, "review/web"),
                "Job Hook"))
        .containsEntry("status", "ignored");

    // Then the lease is active
    assertThat(StateProbe.leaseState(job.leaseId())).isEqualTo("active");
  }

  @Test
  void a_hook_cannot_drop_the_cached_facts_of_a_project_outside_its_scope() {
    // Given demo/web's facts cached by an exchange
    WebhookResourceTest.exchange(PIPELINES.incrementAndGet(), DEMO_WEB);
    int warm = BrokerTestResource.gitlab().apiCalls();

    // When the app hook sends a Deployment Hook about demo/web
    assertThat(sentByAppHook(Webhooks.deploymentHook(23), "Deployment Hook"))
        .containsEntry("status", "ignored");

    // Then demo/web's next exchange is answered from the cache
    WebhookResourceTest.exchange(PIPELINES.incrementAndGet(), DEMO_WEB);
    assertThat(BrokerTestResource.gitlab().apiCalls()).isEqualTo(warm);
  }

  @Test
  void a_hook_drops_the_cached_facts_of_a_project_in_its_scope() {
    // Given demo/app's facts cached by an exchange
    WebhookResourceTest.exchange(PIPELINES.incrementAndGet(), Map.of());
    int warm = BrokerTestResource.gitlab().apiCalls();

    // When the app hook sends a Deployment Hook about demo/app
    assertThat(sentByAppHook(Webhooks.deploymentHook(22), "Deployment Hook"))
        .containsEntry("status", "accepted");

    // Then demo/app's next exchange reads GitLab again
    WebhookResourceTest.exchange(PIPELINES.incrementAndGet(), Map.of());
    assertThat(BrokerTestResource.gitlab().apiCalls()).isGreaterThan(warm);
  }

  @Test
  void a_hook_scoped_by_path_cannot_speak_for_a_project_the_broker_has_no_record_of() {
    Map<String, Long> before = StateProbe.webhookCounts();

    assertThat(sentByAppHook(Webhooks.jobHook(4_242, 1, 1, "success"), "Job Hook"))
        .containsEntry("status", "ignored");

    assertThat(StateProbe.webhookCounts()).isEqualTo(before);
  }
}
