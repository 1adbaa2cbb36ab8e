package io.neo4jaccess.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.neo4jaccess.gitlab.ProtectionFacts;
import io.neo4jaccess.lease.LeaseSelector;
import io.neo4jaccess.lease.RevocationWorker;
import io.neo4jaccess.state.StateUnavailable;
import io.neo4jaccess.webhook.GitLabEvents.Build;
import io.neo4jaccess.webhook.GitLabEvents.DeploymentHook;
import io.neo4jaccess.webhook.GitLabEvents.JobHook;
import io.neo4jaccess.webhook.GitLabEvents.PipelineHook;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Turns one authenticated GitLab event into what it means for leases:
 *
 * <ul>
 *   <li>Job Hook with a final {@code build_status}: that job's active leases (instance + project +
 *       job id);
 *   <li>Job Hook of a stop job ({@code environment.action = stop}) that succeeded: in addition,
 *       every active lease of that project and environment;
 *   <li>Pipeline Hook: the leases of builds listed with a final status and, once the pipeline
 *       itself is final, every lease of the pipeline;
 *   <li>Deployment Hook: the project's cached protection facts are dropped.
 * </ul>
 *
 * Checked in this order: size, then authenticity (per instance), then the event. The delivery and
 * the revocation requests are recorded in one transaction before the caller answers; the
 * revocations then run on the {@link RevocationWorker}. Answers fast: GitLab.com gives up after
 * about 10 s and pauses a hook after four failures.
 */
@ApplicationScoped
public class WebhookService {

  private static final Logger LOG = Logger.getLogger(WebhookService.class);

  /** What was done with a delivery; also the webhook metric's {@code outcome} tag. */
  public enum Result {
    ACCEPTED,
    DUPLICATE,
    IGNORED
  }

  /** The answer: the result, the event kind and how many leases the event ends. */
  public record Handled(Result result, String event, int leases) {}

  /**
   * One delivery as received: what bears on authentication, the de-duplication keys, the body.
   *
   * @param idempotencyKey {@code Idempotency-Key} (GitLab 17.4+), else null
   * @param eventUuid {@code X-Gitlab-Event-UUID}, else null
   */
  public record Delivery(
      WebhookAuthenticator.Presented presented,
      String idempotencyKey,
      String eventUuid,
      byte[] body) {}

  private static final int MAX_KEY_LENGTH = 200;

  private final ObjectMapper json;
  private final WebhookAuthenticator authenticator;
  private final DeliveryRepository deliveries;
  private final RevocationWorker worker;
  private final ProtectionFacts facts;
  private final WebhookConfig config;
  private final MeterRegistry metrics;
  private final Clock clock;

  @Inject
  public WebhookService(
      ObjectMapper json,
      WebhookAuthenticator authenticator,
      DeliveryRepository deliveries,
      RevocationWorker worker,
      ProtectionFacts facts,
      WebhookConfig config,
      MeterRegistry metrics,
      Clock clock) {
    this.json = json;
    this.authenticator = authenticator;
    this.deliveries = deliveries;
    this.worker = worker;
    this.facts = facts;
    this.config = config;
    this.metrics = metrics;
    this.clock = clock;
  }

  /**
   * Acts on one delivery.
   *
   * @throws WebhookRejected when it is too large, not authentic, or malformed; nothing changed
   */
  public Handled receive(Delivery delivery) {
    byte[] body = delivery.body() == null ? new byte[0] : delivery.body();
    if (body.length > config.maxBodyBytes()) {
      throw rejected(
          WebhookRejected.Reason.TOO_LARGE, "too_large", "The webhook body is too large.");
    }
    Optional<String> instance = authenticator.authenticate(delivery.presented(), body);
    if (instance.isEmpty()) {
      LOG.debugf("webhook refused: instance_header=%s", delivery.presented().instanceHeader());
      throw rejected(
          WebhookRejected.Reason.UNAUTHORIZED,
          "unauthorized",
          "The webhook's secret token or signature does not match a configured GitLab instance.");
    }
    Handled handled;
    try {
      handled = handle(instance.get(), deliveryKey(delivery), body);
    } catch (WebhookRejected e) {
      count("unknown", "bad_request");
      throw e;
    } catch (StateUnavailable e) {
      count("unknown", "state_unavailable");
      throw e;
    }
    count(handled.event(), handled.result().name().toLowerCase(java.util.Locale.ROOT));
    return handled;
  }

  private WebhookRejected rejected(WebhookRejected.Reason reason, String outcome, String detail) {
    count("unknown", outcome);
    return new WebhookRejected(reason, detail);
  }

  private void count(String event, String outcome) {
    metrics.counter("broker.webhooks", "event", event, "outcome", outcome).increment();
  }

  /**
   * {@code Idempotency-Key} (GitLab 17.4+, stable across retries and manual resends), else the
   * Standard-Webhooks {@code webhook-id} (the same value when signing is on), else {@code
   * X-Gitlab-Event-UUID}.
   */
  private static String deliveryKey(Delivery d) {
    String[][] candidates = {
      {"Idempotency-Key", d.idempotencyKey()},
      {"webhook-id", d.presented().webhookId()},
      {"X-Gitlab-Event-UUID", d.eventUuid()}
    };
    for (String[] c : candidates) {
      if (c[1] != null && !c[1].isBlank()) {
        if (c[1].length() > MAX_KEY_LENGTH) {
          throw new WebhookRejected(WebhookRejected.Reason.MALFORMED, c[0] + " is too long.");
        }
        return c[1].strip();
      }
    }
    return null;
  }

  private Handled handle(String instance, String deliveryKey, byte[] body) {
    JsonNode root;
    try {
      root = json.readTree(body);
    } catch (IOException e) {
      throw malformed("The body is not JSON.");
    }
    if (root == null || !root.isObject()) {
      throw malformed("The body must be a JSON object.");
    }
    String kind = root.path("object_kind").asText("");
    List<LeaseSelector> scopes = new ArrayList<>();
    switch (kind) {
      case "build" -> {
        JobHook job = read(root, JobHook.class);
        if (!job.valid()) {
          throw malformed("A job event needs build_id, build_status and project_id.");
        }
        if (job.finished()) {
          scopes.add(LeaseSelector.job(job.projectId(), job.buildId(), "job_finished"));
        }
        if (job.stoppedEnvironment()) {
          scopes.add(
              LeaseSelector.environment(
                  job.projectId(), job.environment().name(), "environment_stopped"));
        }
      }
      case "pipeline" -> {
        PipelineHook pipeline = read(root, PipelineHook.class);
        if (!pipeline.valid()) {
          throw malformed("A pipeline event needs object_attributes.id, .status, project.id.");
        }
        long project = pipeline.project().id();
        if (pipeline.builds() != null) {
          for (Build b : pipeline.builds()) {
            if (b != null && b.id() != null && GitLabEvents.FINISHED.contains(b.status())) {
              scopes.add(LeaseSelector.job(project, b.id(), "job_finished"));
            }
          }
        }
        if (GitLabEvents.FINISHED.contains(pipeline.attributes().status())) {
          scopes.add(
              LeaseSelector.pipeline(project, pipeline.attributes().id(), "pipeline_finished"));
        }
      }
      case "deployment" -> {
        DeploymentHook deployment = read(root, DeploymentHook.class);
        if (!deployment.valid()) {
          throw malformed("A deployment event needs project.id.");
        }
        // Protection may have changed with the deployment; read it fresh next time.
        facts.invalidate(instance, deployment.project().id());
        LOG.debugf(
            "deployment event: instance=%s project=%d status=%s",
            instance, deployment.project().id(), deployment.status());
        return new Handled(Result.ACCEPTED, kind, 0);
      }
      default -> {
        // Not an event the broker acts on; its kind is not echoed into metrics (any string).
        return new Handled(Result.IGNORED, "other", 0);
      }
    }
    if (scopes.isEmpty()) {
      // A status change that ends nothing: no write, duplicates of it are harmless.
      return new Handled(Result.IGNORED, kind, 0);
    }
    Instant now = clock.instant();
    Optional<List<String>> marked =
        deliveries.accept(
            instance, deliveryKey, kind, now, now.plus(config.deliveryRetention()), scopes);
    if (marked.isEmpty()) {
      LOG.infof(
          "webhook duplicate ignored: instance=%s event=%s key=%s", instance, kind, deliveryKey);
      return new Handled(Result.DUPLICATE, kind, 0);
    }
    worker.submit(marked.get());
    LOG.infof(
        "webhook accepted: instance=%s event=%s key=%s leases=%d",
        instance, kind, deliveryKey, marked.get().size());
    return new Handled(Result.ACCEPTED, kind, marked.get().size());
  }

  private <T> T read(JsonNode root, Class<T> type) {
    try {
      return json.treeToValue(root, type);
    } catch (JsonProcessingException | IllegalArgumentException e) {
      throw malformed("The " + root.path("object_kind").asText() + " event is malformed.");
    }
  }

  private static WebhookRejected malformed(String why) {
    return new WebhookRejected(WebhookRejected.Reason.MALFORMED, why);
  }
}
