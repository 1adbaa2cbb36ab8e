package io.neo4jaccess.lease;

/**
 * Which active leases of one project a GitLab event ends: one job's, or every job's that deployed
 * to one environment.
 *
 * @param trigger the revocation reason recorded on each lease, e.g. {@code job_finished}
 */
public record LeaseSelector(
    Kind kind, long projectId, long id, String environment, String trigger) {

  /** What the event names. */
  public enum Kind {
    JOB,
    ENVIRONMENT
  }

  public static LeaseSelector job(long projectId, long jobId, String trigger) {
    return new LeaseSelector(Kind.JOB, projectId, jobId, null, trigger);
  }

  public static LeaseSelector environment(long projectId, String environment, String trigger) {
    return new LeaseSelector(Kind.ENVIRONMENT, projectId, 0, environment, trigger);
  }
}
