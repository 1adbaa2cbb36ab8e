package io.neo4jaccess.sweep;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.neo4jaccess.gitlab.JobStatuses;
import io.neo4jaccess.lease.LeaseConfig;
import io.neo4jaccess.lease.LeaseQueries;
import io.neo4jaccess.lease.LeaseQueries.Due;
import io.neo4jaccess.lease.LeaseState;
import io.neo4jaccess.lease.Revoker;
import io.neo4jaccess.neo4j.Neo4jTarget;
import io.neo4jaccess.neo4j.Targets;
import io.neo4jaccess.state.Expiring;
import io.neo4jaccess.state.StateUnavailable;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Everything that happens to leases without a request, as a list of steps run in order: revocations
 * a webhook requested, expiry, retries of failed revocations, leases abandoned by a crashed replica
 * (issuing or revoking), reconciliation with GitLab for webhooks that never came, users nobody
 * owns, and pruning of records past their use. Safe to run on every replica at once: each lease is
 * claimed in the state store before anything is done to it. {@link #sweepOnce()} is the whole job,
 * callable directly; the schedule only calls it.
 */
@ApplicationScoped
public class Sweeper {

  private static final Logger LOG = Logger.getLogger(Sweeper.class);

  /** Steps whose backlog, when the time budget ran out, makes the next sweep start at once. */
  private static final Set<String> DRAINING = Set.of("requested", "expired");

  private final List<SweepStep> steps = new ArrayList<>();
  private final Targets targets;
  private final LeaseQueries queries;
  private final LeaseConfig config;
  private final MeterRegistry metrics;
  private final Clock clock;
  private final Map<String, AtomicLong> activeGauges = new ConcurrentHashMap<>();

  /**
   * What one sweep did, by step name, for logs and tests.
   *
   * @param backlogLeft the time budget ran out while requested or expired leases were still being
   *     revoked
   */
  public record Report(Map<String, Long> done, boolean backlogLeft) {

    public long count(String step) {
      return done.getOrDefault(step, 0L);
    }

    boolean idle() {
      return done.values().stream().allMatch(n -> n == 0);
    }
  }

  @Inject
  public Sweeper(
      LeaseQueries queries,
      Revoker revoker,
      Chunks chunks,
      Targets targets,
      JobStatuses statuses,
      Instance<Expiring> expiring,
      LeaseConfig config,
      MeterRegistry metrics,
      Clock clock) {
    this.targets = targets;
    this.queries = queries;
    this.config = config;
    this.metrics = metrics;
    this.clock = clock;
    int batch = config.sweepBatchSize();
    Duration stuck = config.stuckGrace();
    steps.add(
        new DueLeases(
            "requested",
            Due.REQUESTED,
            Duration.ZERO,
            true,
            queries,
            chunks,
            batch,
            (ids, cutoff) -> revoker.revoke(ids, List.of(LeaseState.REVOKE_REQUESTED), "webhook")));
    steps.add(
        new DueLeases(
            "expired",
            Due.EXPIRED,
            Duration.ZERO,
            true,
            queries,
            chunks,
            batch,
            (ids, cutoff) -> revoker.revoke(ids, List.of(LeaseState.ACTIVE), "expired")));
    steps.add(
        new DueLeases(
            "retried",
            Due.RETRY,
            Duration.ZERO,
            false,
            queries,
            chunks,
            batch,
            (ids, cutoff) -> revoker.revoke(ids, List.of(LeaseState.REVOKE_FAILED), null)));
    steps.add(
        new DueLeases(
            "abandoned_issuing",
            Due.STUCK_ISSUING,
            stuck,
            false,
            queries,
            chunks,
            batch,
            (ids, cutoff) ->
                revoker.revoke(ids, List.of(LeaseState.ISSUING), "issuing_abandoned")));
    steps.add(
        new DueLeases(
            "finished_revoking",
            Due.STUCK_REVOKING,
            stuck,
            false,
            queries,
            chunks,
            batch,
            revoker::finishStuck));
    steps.add(new Reconciliation(queries, statuses, revoker, config, metrics));
    steps.add(new Orphans(targets, queries, revoker, batch));
    expiring.forEach(records -> steps.add(new Pruning(records, batch)));
  }

  void registerGauges(@Observes StartupEvent e) {
    for (Neo4jTarget t : targets.all()) {
      activeGauge(t.name());
    }
  }

  private AtomicLong activeGauge(String target) {
    return activeGauges.computeIfAbsent(
        target,
        name -> metrics.gauge("broker.leases.active", Tags.of("target", name), new AtomicLong()));
  }

  @Scheduled(
      identity = "lease-sweeper",
      every = "{broker.lease.sweep-interval}",
      delayed = "{broker.lease.first-sweep-delay}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void scheduled() {
    try {
      Report r;
      do {
        // A sweep that ran out of its time budget with leases still due goes on at once instead
        // of idling until the next tick (which it may have just missed, as ticks are skipped
        // while a sweep runs).
        r = sweepOnce();
        if (!r.idle()) {
          LOG.infof("sweep: %s", r);
        }
      } while (r.backlogLeft());
    } catch (StateUnavailable e) {
      LOG.warnf("sweep skipped, state store unavailable: %s", e.getCause());
    }
  }

  /** One full sweep at the clock's current time. */
  public Report sweepOnce() {
    return sweepAt(clock.instant());
  }

  /**
   * One full sweep as if it were {@code now}. Revocations themselves are stamped with the clock;
   * only the choice of what is due uses {@code now}.
   */
  public Report sweepAt(Instant now) {
    long budgetEnd = System.nanoTime() + config.sweepInterval().toNanos();
    Map<String, Long> done = new LinkedHashMap<>();
    for (SweepStep step : steps) {
      done.put(step.name(), step.run(now, budgetEnd));
    }
    // Only a sweep that revoked something may go on at once: one whose claims all fail must wait
    // for the next tick rather than spin.
    boolean revokedBacklog = DRAINING.stream().anyMatch(s -> done.get(s) > 0);
    refreshGauges();
    return new Report(done, revokedBacklog && System.nanoTime() - budgetEnd > 0);
  }

  private void refreshGauges() {
    Map<String, Long> active = queries.activeByTarget();
    for (Neo4jTarget t : targets.all()) {
      activeGauge(t.name()).set(active.getOrDefault(t.name(), 0L));
    }
  }
}
