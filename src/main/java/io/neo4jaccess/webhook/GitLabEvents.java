package io.neo4jaccess.webhook;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Set;

/**
 * The few fields of GitLab's webhook payloads the broker acts on (GitLab docs, "Webhook events":
 * {@code user/project/integrations/webhook_events.md}). Everything else in a payload is ignored.
 */
final class GitLabEvents {

  private GitLabEvents() {}

  /** Job statuses after which the job no longer runs (Job Hook {@code build_status}). */
  static final Set<String> FINISHED = Set.of("success", "failed", "canceled", "skipped");

  /** {@code X-Gitlab-Event: Job Hook}, {@code object_kind: build}. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  record JobHook(
      @JsonProperty("build_id") Long buildId,
      @JsonProperty("build_status") String buildStatus,
      @JsonProperty("project_id") Long projectId,
      @JsonProperty("pipeline_id") Long pipelineId,
      @JsonProperty("environment") Environment environment) {

    boolean valid() {
      return buildId != null && projectId != null && buildStatus != null;
    }

    boolean finished() {
      return FINISHED.contains(buildStatus);
    }

    /** A stop job that succeeded: its environment is stopped (there is no other stop event). */
    boolean stoppedEnvironment() {
      return "success".equals(buildStatus)
          && environment != null
          && "stop".equals(environment.action())
          && environment.name() != null;
    }
  }

  /** A job's environment as webhooks carry it; null for jobs without one. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  record Environment(
      @JsonProperty("name") String name,
      @JsonProperty("action") String action,
      @JsonProperty("deployment_tier") String deploymentTier) {}

  /**
   * {@code X-Gitlab-Event: Pipeline Hook}, {@code object_kind: pipeline}. Only its builds are acted
   * on: the pipeline's own status says nothing about jobs retried since.
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  record PipelineHook(
      @JsonProperty("project") Project project, @JsonProperty("builds") List<Build> builds) {

    boolean valid() {
      return project != null && project.id() != null;
    }
  }

  @JsonIgnoreProperties(ignoreUnknown = true)
  record Build(
      @JsonProperty("id") Long id,
      @JsonProperty("status") String status,
      @JsonProperty("environment") Environment environment) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  record Project(@JsonProperty("id") Long id) {}

  /** {@code X-Gitlab-Event: Deployment Hook}, {@code object_kind: deployment}. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  record DeploymentHook(
      @JsonProperty("status") String status,
      @JsonProperty("deployable_id") Long deployableId,
      @JsonProperty("environment") String environment,
      @JsonProperty("project") Project project) {

    boolean valid() {
      return project != null && project.id() != null;
    }
  }
}
