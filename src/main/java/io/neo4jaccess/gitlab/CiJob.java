package io.neo4jaccess.gitlab;

/**
 * One CI job as GitLab knows it, taken from a verified ID token: the one projection of the job's
 * identity that facts are looked up by and leases and decisions are recorded under. Ids are unique
 * only within one GitLab instance, so every key built from them starts with {@link #instance()}.
 *
 * @param instance the configured GitLab instance that signed the token
 * @param project the project the job runs in ({@code job_project_*} when GitLab sends them)
 * @param pipeline the job's pipeline
 * @param id the job id
 * @param ref the branch or tag the job runs for
 * @param sha the commit, or null when the token has none
 * @param userLogin who started the pipeline
 * @param environment the job's environment, or null when it has none
 */
public record CiJob(
    String instance,
    Project project,
    Pipeline pipeline,
    long id,
    Ref ref,
    String sha,
    String userLogin,
    Environment environment) {

  /**
   * @param namespaceId the project's namespace (group-level protected environments hang off it)
   */
  public record Project(long id, String path, long namespaceId) {}

  /**
   * @param source {@code push}, {@code merge_request_event}, {@code schedule}, ...
   */
  public record Pipeline(long id, String source) {}

  /**
   * @param type {@code branch} or {@code tag}
   */
  public record Ref(String name, String type) {}

  /**
   * @param tier the deployment tier the token states, or null
   * @param action {@code start} (or null: the default), {@code prepare}, {@code verify}, {@code
   *     access}, {@code stop}
   */
  public record Environment(String name, String tier, String action) {}

  /** The environment's name, or null when the job has none. */
  public String environmentName() {
    return environment == null ? null : environment.name();
  }

  /** The key of this job's project in the state graph, e.g. {@code main/22}. */
  public String projectKey() {
    return instance + "/" + project.id();
  }
}
