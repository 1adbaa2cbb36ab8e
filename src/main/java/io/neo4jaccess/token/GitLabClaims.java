package io.neo4jaccess.token;

import io.neo4jaccess.gitlab.CiJob;
import java.time.Instant;
import java.util.List;

/**
 * The claims of a verified GitLab ID token, each with the type GitLab sends it as: strings, except
 * {@code iat}, {@code nbf}, {@code exp} and {@code runner_id} (numbers) and {@code groups_direct}
 * (a list of group paths). Ids arrive as decimal strings and are held as numbers; booleans arrive
 * as {@code "true"}/{@code "false"}. Claims a GitLab version or a job may leave out are null. The
 * set and the versions are those of GitLab's documentation of ID token authentication.
 *
 * @param instance the configured GitLab instance whose issuer and keys the token matched
 * @param issuer {@code iss}
 * @param subject {@code sub}, e.g. {@code project_path:demo/app:ref_type:branch:ref:main}
 * @param audience {@code aud}, as a list even when GitLab sent one string
 * @param jti {@code jti}, a random UUID per token
 * @param issuedAt {@code iat}
 * @param notBefore {@code nbf}
 * @param expiresAt {@code exp}
 * @param namespaceId {@code namespace_id}: for fork merge-request pipelines, the fork's
 * @param namespacePath {@code namespace_path}
 * @param projectId {@code project_id}: for fork merge-request pipelines, the fork's
 * @param projectPath {@code project_path}
 * @param jobProjectId {@code job_project_id} (18.4+): the project the job runs in
 * @param jobProjectPath {@code job_project_path} (18.4+)
 * @param jobNamespaceId {@code job_namespace_id} (18.4+)
 * @param jobNamespacePath {@code job_namespace_path} (18.4+)
 * @param userId {@code user_id}
 * @param userLogin {@code user_login}
 * @param userEmail {@code user_email}
 * @param userAccessLevel {@code user_access_level} (16.9+), e.g. {@code maintainer}
 * @param pipelineId {@code pipeline_id}
 * @param pipelineSource {@code pipeline_source}, e.g. {@code push}, {@code merge_request_event}
 * @param jobId {@code job_id}
 * @param ref {@code ref}: for merge-request pipelines, the source branch
 * @param refType {@code ref_type}: {@code branch} or {@code tag}
 * @param refPath {@code ref_path} (16.0+), e.g. {@code refs/heads/main}
 * @param refProtected {@code ref_protected}
 * @param environment {@code environment}, a name the job chooses
 * @param environmentProtected {@code environment_protected}; always false on GitLab Free
 * @param deploymentTier {@code deployment_tier}
 * @param environmentAction {@code environment_action} (16.5+), e.g. {@code start}
 * @param runnerId {@code runner_id} (16.0+)
 * @param runnerEnvironment {@code runner_environment}: {@code gitlab-hosted} or {@code self-hosted}
 * @param sha {@code sha}, the commit
 * @param ciConfigRefUri {@code ci_config_ref_uri} (16.2+), null unless the pipeline's configuration
 *     lives in the same project
 * @param ciConfigSha {@code ci_config_sha} (16.2+)
 * @param projectVisibility {@code project_visibility} (16.3+): {@code public}, {@code internal} or
 *     {@code private}
 * @param groupsDirect {@code groups_direct} (16.11+, behind a feature flag): paths of the groups
 *     the user is a direct member of
 */
public record GitLabClaims(
    String instance,
    String issuer,
    String subject,
    List<String> audience,
    String jti,
    Instant issuedAt,
    Instant notBefore,
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
    String userEmail,
    String userAccessLevel,
    long pipelineId,
    String pipelineSource,
    long jobId,
    String ref,
    String refType,
    String refPath,
    boolean refProtected,
    String environment,
    Boolean environmentProtected,
    String deploymentTier,
    String environmentAction,
    Long runnerId,
    String runnerEnvironment,
    String sha,
    String ciConfigRefUri,
    String ciConfigSha,
    String projectVisibility,
    List<String> groupsDirect) {

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
            : new CiJob.Environment(environment, deploymentTier, environmentAction));
  }
}
