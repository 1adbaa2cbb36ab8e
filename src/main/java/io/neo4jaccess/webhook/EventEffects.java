package io.neo4jaccess.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.neo4jaccess.lease.LeaseSelector;
import io.neo4jaccess.webhook.GitLabEvents.Build;
import io.neo4jaccess.webhook.GitLabEvents.DeploymentHook;
import io.neo4jaccess.webhook.GitLabEvents.JobHook;
import io.neo4jaccess.webhook.GitLabEvents.PipelineHook;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * What one authentic GitLab event asks of the broker, all about one project:
 *
 * <ul>
 *   <li>Job Hook with a final {@code build_status}: that job's active leases (instance + project +
 *       job id);
 *   <li>Job Hook of a stop job ({@code environment.action = stop}) that succeeded: in addition,
 *       every active lease of that project and environment;
 *   <li>Pipeline Hook: the leases of the builds it lists with a final status, and only those: a job
 *       retried since has a new id, and its lease is not the old job's;
 *   <li>Deployment Hook: the project's cached protection facts are dropped.
 * </ul>
 *
 * @param kind the payload's {@code object_kind}, or {@code other} for kinds the broker does not use
 *     (never echoed: any string could be sent)
 * @param ends the leases the event ends
 * @param dropsFacts the project's cached facts are to be read again
 */
record EventEffects(String kind, long projectId, List<LeaseSelector> ends, boolean dropsFacts) {

  /** True when the event changes nothing (a job still running, an event kind not used). */
  boolean none() {
    return ends.isEmpty() && !dropsFacts;
  }

  /**
   * Reads a delivery's body.
   *
   * @throws WebhookRejected when it is not a JSON object or lacks the fields it is acted on by
   */
  static EventEffects of(ObjectMapper json, byte[] body) {
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
    return switch (kind) {
      case "build" -> job(read(json, root, JobHook.class));
      case "pipeline" -> pipeline(read(json, root, PipelineHook.class));
      case "deployment" -> {
        DeploymentHook deployment = read(json, root, DeploymentHook.class);
        if (!deployment.valid()) {
          throw malformed("A deployment event needs project.id.");
        }
        // Protection may have changed with the deployment; read it fresh next time.
        yield new EventEffects(kind, deployment.project().id(), List.of(), true);
      }
      default -> new EventEffects("other", 0, List.of(), false);
    };
  }

  private static EventEffects job(JobHook job) {
    if (!job.valid()) {
      throw malformed("A job event needs build_id, build_status and project_id.");
    }
    List<LeaseSelector> ends = new ArrayList<>();
    if (job.finished()) {
      ends.add(LeaseSelector.job(job.projectId(), job.buildId(), "job_finished"));
    }
    if (job.stoppedEnvironment()) {
      ends.add(
          LeaseSelector.environment(
              job.projectId(), job.environment().name(), "environment_stopped"));
    }
    return new EventEffects("build", job.projectId(), ends, false);
  }

  private static EventEffects pipeline(PipelineHook pipeline) {
    if (!pipeline.valid()) {
      throw malformed("A pipeline event needs project.id.");
    }
    long project = pipeline.project().id();
    List<LeaseSelector> ends = new ArrayList<>();
    if (pipeline.builds() != null) {
      for (Build b : pipeline.builds()) {
        if (b != null && b.id() != null && GitLabEvents.FINISHED.contains(b.status())) {
          ends.add(LeaseSelector.job(project, b.id(), "job_finished"));
        }
      }
    }
    return new EventEffects("pipeline", project, ends, false);
  }

  private static <T> T read(ObjectMapper json, JsonNode root, Class<T> type) {
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
