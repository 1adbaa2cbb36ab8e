package io.neo4jaccess.gitlab;

/** Whether a job still runs, as GitLab reports it now: what reconciliation asks for. */
public interface JobStatuses {

  /**
   * A job's current status ({@code running}, {@code success}, ...), never cached. A job or project
   * that GitLab no longer has (404) is {@code Fact.of("gone")}: it cannot be running.
   */
  Fact<String> status(String instance, long projectId, long jobId);
}
