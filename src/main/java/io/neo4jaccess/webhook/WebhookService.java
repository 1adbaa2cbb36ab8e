package io.neo4jaccess.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.neo4jaccess.gitlab.ProtectionFacts;
import io.neo4jaccess.lease.LeaseLifecycleStore;
import io.neo4jaccess.lease.LeaseLifecycleStore.Scope;
import io.neo4jaccess.lease.RevocationWorker;
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
 * The delivery and the revocation requests are recorded in one transaction before the caller
 * answers; the revocations then run on the {@link RevocationWorker}.
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

  /** The body is not a JSON object, or an event lacks the fields it is acted on by. */
  public static final class Malformed extends Exception {
    Malformed(String why) {
      super(why, null, false, false);
    }
  }

  private final ObjectMapper json;
  private final LeaseLifecycleStore lifecycle;
  private final RevocationWorker worker;
  private final ProtectionFacts facts;
  private final WebhookConfig config;
  private final Clock clock;

  @Inject
  public WebhookService(
      ObjectMapper json,
      LeaseLifecycleStore lifecycle,
      RevocationWorker worker,
      ProtectionFacts facts,
      WebhookConfig config,
      Clock clock) {
    this.json = json;
    this.lifecycle = lifecycle;
    this.worker = worker;
    this.facts = facts;
    this.config = config;
    this.clock = clock;
  }

  public Handled handle(String instance, String deliveryKey, byte[] body) throws Malformed {
    JsonNode root;
    try {
      root = json.readTree(body);
    } catch (IOException e) {
      throw new Malformed("The body is not JSON.");
    }
    if (root == null || !root.isObject()) {
      throw new Malformed("The body must be a JSON object.");
    }
    String kind = root.path("object_kind").asText("");
    List<Scope> scopes = new ArrayList<>();
    switch (kind) {
      case "build" -> {
        JobHook job = read(root, JobHook.class);
        if (!job.valid()) {
          throw new Malformed("A job event needs build_id, build_status and project_id.");
        }
        if (job.finished()) {
          scopes.add(
              new Scope(Scope.Kind.JOB, job.projectId(), job.buildId(), null, "job_finished"));
        }
        if (job.stoppedEnvironment()) {
          scopes.add(
              new Scope(
                  Scope.Kind.ENVIRONMENT,
                  job.projectId(),
                  0,
                  job.environment().name(),
                  "environment_stopped"));
        }
      }
      case "pipeline" -> {
        PipelineHook pipeline = read(root, PipelineHook.class);
        if (!pipeline.valid()) {
          throw new Malformed("A pipeline event needs object_attributes.id, .status, project.id.");
        }
        long project = pipeline.project().id();
        if (pipeline.builds() != null) {
          for (Build b : pipeline.builds()) {
            if (b != null && b.id() != null && GitLabEvents.FINISHED.contains(b.status())) {
              scopes.add(new Scope(Scope.Kind.JOB, project, b.id(), null, "job_finished"));
            }
          }
        }
        if (GitLabEvents.FINISHED.contains(pipeline.attributes().status())) {
          scopes.add(
              new Scope(
                  Scope.Kind.PIPELINE,
                  project,
                  pipeline.attributes().id(),
                  null,
                  "pipeline_finished"));
        }
      }
      case "deployment" -> {
        DeploymentHook deployment = read(root, DeploymentHook.class);
        if (!deployment.valid()) {
          throw new Malformed("A deployment event needs project.id.");
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
        lifecycle.acceptDelivery(
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

  private <T> T read(JsonNode root, Class<T> type) throws Malformed {
    try {
      return json.treeToValue(root, type);
    } catch (JsonProcessingException | IllegalArgumentException e) {
      throw new Malformed("The " + root.path("object_kind").asText() + " event is malformed.");
    }
  }
}
