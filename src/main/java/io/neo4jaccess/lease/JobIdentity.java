package io.neo4jaccess.lease;

import io.neo4jaccess.token.GitLabClaims;

/** Which job, pipeline and project a lease or decision belongs to, from a verified token. */
public record JobIdentity(
    String instance,
    long projectId,
    String projectPath,
    long pipelineId,
    String pipelineSource,
    long jobId,
    String ref,
    String sha,
    String userLogin,
    String environment) {

  public static JobIdentity of(GitLabClaims c) {
    return new JobIdentity(
        c.instance(),
        c.runningProjectId(),
        c.runningProjectPath(),
        c.pipelineId(),
        c.pipelineSource(),
        c.jobId(),
        c.ref(),
        c.sha(),
        c.userLogin(),
        c.environment());
  }
}
