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
import java.util.Map;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Catches job ends whose webhook never came: asks GitLab for the status of jobs holding active
 * leases not checked for {@code reconcile-interval}, at most {@code reconcile-batch-size} jobs per
 * sweep, and revokes the leases of jobs that no longer run. An instance that cannot answer is not
 * asked again in this sweep.
 */
final class Reconciliation implements SweepStep {

  private static final Logger LOG = Logger.getLogger(Reconciliation.class);

  /** Job statuses after which a job can no longer use its lease (GitLab Jobs API). */
  static final Set<String> FINISHED_JOB = Set.of("success", "failed", "canceled", "skipped");

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
      boolean finished = status.available() && FINISHED_JOB.contains(status.value());
      count(!status.available() ? "unavailable" : finished ? "finished" : "running");
      if (!status.available()) {
        unavailable.add(job.instance());
        LOG.debugf(
            "reconcile: job status unavailable: instance=%s job=%d reason=%s",
            job.instance(), job.jobId(), status.unavailable());
      } else if (finished) {
        revoked +=
            revoker.revoke(
                leases.stream().map(JobLease::leaseId).toList(),
                List.of(LeaseState.ACTIVE),
                "job_finished_reconciled");
      }
    }
    return revoked;
  }

  private void count(String outcome) {
    metrics.counter("broker.reconcile.checks", "outcome", outcome).increment();
  }
}
