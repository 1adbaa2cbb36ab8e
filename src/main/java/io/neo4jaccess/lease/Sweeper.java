package io.neo4jaccess.lease;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.neo4jaccess.gitlab.Fact;
import io.neo4jaccess.gitlab.ProtectionFacts;
import io.neo4jaccess.target.Neo4jTarget;
import io.neo4jaccess.target.Targets;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * Everything that happens to leases without a request: expiry, retries of failed revocations,
 * leases abandoned by a crashed replica, reconciliation with GitLab for webhooks that never came,
 * users nobody owns, and pruning of records past their use. Safe to run on every replica at once:
 * each lease is claimed in the state store before anything is done to it.
 *
 * <p>{@link #sweepOnce()} is the whole job, callable directly; the schedule only calls it.
 */
@ApplicationScoped
public class Sweeper {

  private static final Logger LOG = Logger.getLogger(Sweeper.class);

  /** Job statuses after which a job can no longer use its lease (GitLab Jobs API). */
  public static final Set<String> FINISHED_JOB = Set.of("success", "failed", "canceled", "skipped");

  private static final List<String> ACTIVE = List.of("active");
  private static final List<String> REQUESTED = List.of("revoke_requested");
  private static final List<String> FAILED = List.of("revoke_failed");
  private static final List<String> ISSUING = List.of("issuing");

  private final LeaseLifecycleStore lifecycle;
  private final RevocationService revocations;
  private final Targets targets;
  private final ProtectionFacts gitlab;
  private final LeaseConfig config;
  private final MeterRegistry metrics;
  private final ExecutorService pool;
  private final Clock clock;
  private final Map<String, AtomicLong> activeGauges = new ConcurrentHashMap<>();

  /** What one sweep did, for logs and tests. */
  public record Report(
      int requested,
      int expired,
      int retried,
      int abandonedIssuing,
      int finishedRevoking,
      int reconciled,
      int orphansDropped,
      long jtisPruned,
      long deliveriesPruned,
      boolean backlogLeft) {

    boolean idle() {
      return requested
              + expired
              + retried
              + abandonedIssuing
              + finishedRevoking
              + reconciled
              + orphansDropped
              + jtisPruned
              + deliveriesPruned
          == 0;
    }
  }

  @Inject
  public Sweeper(
      LeaseLifecycleStore lifecycle,
      RevocationService revocations,
      Targets targets,
      ProtectionFacts gitlab,
      LeaseConfig config,
      MeterRegistry metrics,
      Clock clock) {
    this.lifecycle = lifecycle;
    this.revocations = revocations;
    this.targets = targets;
    this.gitlab = gitlab;
    this.config = config;
    this.metrics = metrics;
    this.clock = clock;
    this.pool =
        Executors.newFixedThreadPool(
            config.revocationThreads(),
            r -> {
              Thread t = new Thread(r, "lease-sweeper");
              t.setDaemon(true);
              return t;
            });
  }

  @PreDestroy
  void stop() {
    pool.shutdownNow();
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
    } catch (StateUnavailableException e) {
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
    int batch = config.sweepBatchSize();
    Instant stuck = now.minus(config.stuckGrace());
    // Webhook-requested revocations first: the worker should have done them already.
    // A backlog (many leases expiring together) is worked off in one sweep, batch after batch,
    // within a time budget of one sweep interval, so that sweeps never pile up behind each other.
    long budgetEnd = System.nanoTime() + config.sweepInterval().toNanos();
    int requested = drain(n -> lifecycle.requested(n), REQUESTED, "webhook", budgetEnd);
    int expired = drain(n -> lifecycle.expired(now, n), ACTIVE, "expired", budgetEnd);
    // Only a sweep that revoked something may go on at once: one whose claims all fail must wait
    // for the next tick rather than spin.
    boolean backlogLeft = requested + expired > 0 && System.nanoTime() - budgetEnd > 0;
    int retried = revokeEach(lifecycle.retryDue(now, batch), id -> claim(id, FAILED, null));
    int abandoned =
        revokeEach(
            lifecycle.stuckIssuing(stuck, batch), id -> claim(id, ISSUING, "issuing_abandoned"));
    int finished =
        revokeEach(
            lifecycle.stuckRevoking(stuck, batch),
            id -> revocations.finishStuck(id, stuck).isPresent());
    int reconciled = reconcile(now);
    int orphans = dropOrphans();
    long jtis = lifecycle.pruneUsedJtis(now, batch);
    long deliveries = lifecycle.pruneDeliveries(now, batch);
    refreshGauges();
    return new Report(
        requested,
        expired,
        retried,
        abandoned,
        finished,
        reconciled,
        orphans,
        jtis,
        deliveries,
        backlogLeft);
  }

  private boolean claim(String id, List<String> from, String reason) {
    return revocations.claimAndRevoke(id, from, reason).isPresent();
  }

  /**
   * Batches from {@code next} until one comes back short or the time budget is spent; each batch is
   * claimed from {@code from} and revoked in chunks of {@code revocationBatchSize}.
   */
  private int drain(
      Function<Integer, List<String>> next, List<String> from, String reason, long budgetEnd) {
    int batch = config.sweepBatchSize();
    int done = 0;
    while (true) {
      List<String> ids = next.apply(batch);
      done += revokeInChunks(ids, from, reason);
      if (ids.size() < batch || System.nanoTime() - budgetEnd > 0) {
        return done;
      }
    }
  }

  /**
   * Claims and revokes the leases in chunks ({@link RevocationService#claimAndRevokeAll}), {@code
   * revocationThreads} chunks at a time. The ids are shuffled before they are cut into chunks so
   * that replicas sweeping the same backlog mostly claim different leases.
   */
  private int revokeInChunks(List<String> ids, List<String> from, String reason) {
    List<String> order = new ArrayList<>(ids);
    Collections.shuffle(order);
    int size = Math.max(1, config.revocationBatchSize());
    List<List<String>> chunks = new ArrayList<>();
    for (int i = 0; i < order.size(); i += size) {
      chunks.add(order.subList(i, Math.min(order.size(), i + size)));
    }
    return sum(
        chunks.stream().map(chunk -> pool.submit(() -> revokeChunk(chunk, from, reason))).toList());
  }

  private int revokeChunk(List<String> chunk, List<String> from, String reason) {
    try {
      return revocations.claimAndRevokeAll(chunk, from, reason);
    } catch (StateUnavailableException e) {
      throw e;
    } catch (RuntimeException e) {
      LOG.warnf("sweep step failed for %d leases: error=%s", chunk.size(), e.toString());
      return 0;
    }
  }

  /**
   * Claims and revokes each lease, {@code revocationThreads} at a time; the order is shuffled so
   * that replicas sweeping the same backlog mostly work on different leases instead of racing for
   * the same one.
   */
  private int revokeEach(List<String> ids, Function<String, Boolean> work) {
    List<String> order = new ArrayList<>(ids);
    Collections.shuffle(order);
    List<Future<Integer>> results = new ArrayList<>();
    for (String id : order) {
      results.add(pool.submit(() -> revokeOne(id, work) ? 1 : 0));
    }
    return sum(results);
  }

  /** Sums the results; rethrows a state store outage after all have ended. */
  private static int sum(List<Future<Integer>> results) {
    int n = 0;
    StateUnavailableException stateDown = null;
    for (Future<Integer> result : results) {
      try {
        n += result.get();
      } catch (ExecutionException e) {
        if (e.getCause() instanceof StateUnavailableException down) {
          stateDown = down;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("sweep interrupted", e);
      }
    }
    if (stateDown != null) {
      throw stateDown;
    }
    return n;
  }

  private static boolean revokeOne(String id, Function<String, Boolean> work) {
    try {
      return work.apply(id);
    } catch (StateUnavailableException e) {
      throw e;
    } catch (RuntimeException e) {
      LOG.warnf("sweep step failed for one lease: lease=%s error=%s", id, e.toString());
      return false;
    }
  }

  /**
   * Asks GitLab for the status of jobs holding active leases not checked for {@code
   * reconcileInterval}, at most {@code reconcileBatchSize} jobs per sweep, and revokes the leases
   * of finished jobs. An instance that fails to answer is not asked again in this sweep.
   */
  private int reconcile(Instant now) {
    List<LeaseLifecycleStore.JobLease> candidates =
        lifecycle.reconcileCandidates(
            now.minus(config.reconcileInterval()), now, config.reconcileBatchSize());
    Map<String, List<LeaseLifecycleStore.JobLease>> byJob = new LinkedHashMap<>();
    for (var c : candidates) {
      byJob
          .computeIfAbsent(
              c.instance() + "/" + c.projectId() + "/" + c.jobId(), k -> new ArrayList<>())
          .add(c);
    }
    Set<String> unavailable = new HashSet<>();
    int revoked = 0;
    for (List<LeaseLifecycleStore.JobLease> leases : byJob.values()) {
      var job = leases.get(0);
      if (unavailable.contains(job.instance())) {
        continue;
      }
      Fact<String> status = gitlab.jobStatus(job.instance(), job.projectId(), job.jobId());
      metrics
          .counter(
              "broker.reconcile.checks",
              "outcome",
              !status.available()
                  ? "unavailable"
                  : FINISHED_JOB.contains(status.value()) ? "finished" : "running")
          .increment();
      if (!status.available()) {
        unavailable.add(job.instance());
        LOG.debugf(
            "reconcile: job status unavailable: instance=%s job=%d reason=%s",
            job.instance(), job.jobId(), status.unavailable());
        continue;
      }
      if (FINISHED_JOB.contains(status.value())) {
        revoked +=
            revokeEach(
                leases.stream().map(LeaseLifecycleStore.JobLease::leaseId).toList(),
                id -> claim(id, ACTIVE, "job_finished_reconciled"));
      }
    }
    return revoked;
  }

  /**
   * Drops users with a target's prefix that no live lease owns. The users are listed
   * <em>before</em> the leases: a lease is written before its user is created, so any user in the
   * listing already has its lease in the store when the leases are read.
   */
  private int dropOrphans() {
    int dropped = 0;
    for (Neo4jTarget target : targets.all()) {
      List<String> users;
      try {
        users = target.brokerUsers();
      } catch (RuntimeException e) {
        LOG.debugf("orphan check skipped, target unreachable: target=%s", target.name());
        continue;
      }
      if (users.isEmpty()) {
        continue;
      }
      Set<String> owned = lifecycle.liveUsernames(target.name());
      for (String user : users) {
        if (dropped >= config.sweepBatchSize()) {
          return dropped;
        }
        if (!owned.contains(user) && revocations.dropOrphan(target, user)) {
          dropped++;
        }
      }
    }
    return dropped;
  }

  private void refreshGauges() {
    Map<String, Long> active = lifecycle.activeByTarget();
    for (Neo4jTarget t : targets.all()) {
      activeGauge(t.name()).set(active.getOrDefault(t.name(), 0L));
    }
  }
}
