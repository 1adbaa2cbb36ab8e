package io.neo4jaccess.sweep;

import io.micrometer.core.instrument.MeterRegistry;
import io.neo4jaccess.gitlab.Fact;
import io.neo4jaccess.gitlab.JobStatuses;
import io.neo4jaccess.lease.LeaseConfig;
import io.neo4jaccess.lease.LeaseQueries;
import io.neo4jaccess.lease.LeaseQueries.JobLease;
import io.neo4jaccess.lease.LeaseState;
import io.neo4jaccess.lease.Revoker;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Catches job ends whose webhook never came: asks GitLab for the status of jobs holding active
 * leases not checked for {@code reconcile-interval}, at most {@code reconcile-batch-size} jobs per
 * sweep, and revokes the leases of jobs that no longer run, and of jobs GitLab no longer has (the
 * job or its project was deleted). An instance that cannot answer is not asked again in this sweep;
 * one that answers that a job is gone has answered.
 */
final class Reconciliation implements SweepStep {

  private static final Logger LOG = Logger.getLogger(Reconciliation.class);

  /** Job statuses after which a job can no longer use its lease (GitLab Jobs API). */
  static final Set<String> FINISHED_JOB = Set.of("success", "failed", "canceled", "skipped");

  /** The status of a job GitLab no longer has ({@link JobStatuses#status}). */
  static final String GONE_STATUS = "gone";

  private final LeaseQueries queries;
  private final JobStatuses statuses;
  private final Revoker revoker;
  private final LeaseConfig config;
  private final MeterRegistry metrics;

  Reconciliation(
      LeaseQueries queries,
      JobStatuses statuses,
      Revoker revoker,
      LeaseConfig config,
      MeterRegistry metrics) {
    this.queries = queries;
    this.statuses = statuses;
    this.revoker = revoker;
    this.config = config;
    this.metrics = metrics;
  }

  @Override
  public String name() {
    return "reconciled";
  }

  @Override
  public long run(Instant now, long budgetEnd) {
    Map<String, List<JobLease>> byJob = new LinkedHashMap<>();
    for (JobLease c :
        queries.reconcileCandidates(
            now.minus(config.reconcileInterval()), now, config.reconcileBatchSize())) {
      byJob
          .computeIfAbsent(
              c.instance() + "/" + c.projectId() + "/" + c.jobId(), k -> new ArrayList<>())
          .add(c);
    }
    Set<String> unavailable = new HashSet<>();
    long revoked = 0;
    for (List<JobLease> leases : byJob.values()) {
      JobLease job = leases.get(0);
      if (unavailable.contains(job.instance())) {
        continue;
      }
      Fact<String> status = statuses.status(job.instance(), job.projectId(), job.jobId());
      Outcome outcome = Outcome.of(status);
      metrics.counter("broker.reconcile.checks", "outcome", outcome.tag()).increment();
      switch (outcome) {
        case UNAVAILABLE -> {
          unavailable.add(job.instance());
          LOG.debugf(
              "reconcile: job status unavailable: instance=%s job=%d reason=%s",
              job.instance(), job.jobId(), status.unavailable());
        }
        case FINISHED, GONE ->
            revoked +=
                revoker.revoke(
                    leases.stream().map(JobLease::leaseId).toList(),
                    List.of(LeaseState.ACTIVE),
                    "job_" + outcome.tag() + "_reconciled");
        case RUNNING -> {
          // checked again after reconcile-interval
        }
      }
    }
    return revoked;
  }

  /** What GitLab's answer about a job means for its leases. */
  private enum Outcome {
    /** GitLab could not answer: this instance is not asked again in this sweep. */
    UNAVAILABLE,
    /** GitLab no longer has the job or its project: its leases are revoked. */
    GONE,
    /** The job ended: its leases are revoked. */
    FINISHED,
    RUNNING;

    static Outcome of(Fact<String> status) {
      if (!status.available()) {
        return UNAVAILABLE;
      }
      if (GONE_STATUS.equals(status.value())) {
        return GONE;
      }
      return FINISHED_JOB.contains(status.value()) ? FINISHED : RUNNING;
    }

    /** As shown in metrics and revoke reasons. */
    String tag() {
      return name().toLowerCase(Locale.ROOT);
    }
  }
}
