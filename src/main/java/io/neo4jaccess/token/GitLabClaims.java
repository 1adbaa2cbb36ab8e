package io.neo4jaccess.token;

import io.neo4jaccess.gitlab.CiJob;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The claims of a verified GitLab ID token (FACTS.md §2). GitLab sends almost every claim as a
 * string, booleans as {@code "true"}/{@code "false"}; ids are parsed to numbers here.
 *
 * @param instance the configured GitLab instance that issued the token
 * @param all every claim as sent, for policy conditions on claims the record does not name
 */
public record GitLabClaims(
    String instance,
    String issuer,
    String subject,
    List<String> audience,
    String jti,
    Instant issuedAt,
    Instant expiresAt,
    long namespaceId,
    String namespacePath,
    long projectId,
    String projectPath,
    Long jobProjectId,
    String jobProjectPath,
    Long jobNamespaceId,
    String jobNamespacePath,
    long userId,
    String userLogin,
    long pipelineId,
    String pipelineSource,
    long jobId,
    String ref,
    String refType,
    boolean refProtected,
    String environment,
    String deploymentTier,
    String sha,
    Map<String, Object> all) {

  /** The project the job runs in: {@code job_project_*} (GitLab 18.4+) when present. */
  public long runningProjectId() {
    return jobProjectId != null ? jobProjectId : projectId;
  }

  public String runningProjectPath() {
    return jobProjectPath != null ? jobProjectPath : projectPath;
  }

  public long runningNamespaceId() {
    return jobNamespaceId != null ? jobNamespaceId : namespaceId;
  }

  public String runningNamespacePath() {
    return jobNamespacePath != null ? jobNamespacePath : namespacePath;
  }

  /** The job this token was issued to: the one projection of its identity. */
  public CiJob job() {
    return new CiJob(
        instance,
        new CiJob.Project(runningProjectId(), runningProjectPath(), runningNamespaceId()),
        new CiJob.Pipeline(pipelineId, pipelineSource),
        jobId,
        new CiJob.Ref(ref, refType),
        sha,
        userLogin,
        environment == null
            ? null
            : new CiJob.Environment(environment, deploymentTier, text("environment_action")));
  }

  private String text(String claim) {
    Object v = all.get(claim);
    return v instanceof String s ? s : null;
  }

  /** The claim's value as GitLab sent it, or null. */
  public Object claim(String name) {
    return all.get(name);
  }
}
