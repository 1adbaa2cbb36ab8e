package io.neo4jaccess.gateway;

import io.neo4jaccess.lease.ActivityRecords;
import io.neo4jaccess.lease.GatewayActivity;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * The gateway's audit: counts each lease's traffic in memory on the event loops (never blocking
 * them) and adds it to the lease's record in the state graph ({@link ActivityRecords}) from a
 * thread of its own, every {@code broker.gateway.audit-flush-interval} and as soon as a lease is
 * revoked. What cannot be written stays counted and goes with the next write.
 *
 * <p>A lease keeps at most {@value #KINDS_PER_LEASE} kinds of refusal (rule and query hash) in
 * memory between writes; further kinds are counted under their rule alone.
 */
@ApplicationScoped
public class StateGraphAudit implements GatewayAudit {

  private static final Logger LOG = Logger.getLogger(StateGraphAudit.class);
  static final int KINDS_PER_LEASE = 100;

  private final ActivityRecords records;
  private final GatewayConfig config;
  private final Clock clock;
  private final Map<String, Tally> tallies = new ConcurrentHashMap<>();
  private final ScheduledExecutorService writer = Background.thread("gateway-audit");

  @Inject
  public StateGraphAudit(ActivityRecords records, GatewayConfig config, Clock clock) {
    this.records = records;
    this.config = config;
    this.clock = clock;
  }

  void start(@Observes StartupEvent event) {
    long every = config.auditFlushInterval().toMillis();
    writer.scheduleWithFixedDelay(() -> write(null), every, every, TimeUnit.MILLISECONDS);
  }

  void stop(@Observes ShutdownEvent event) {
    writer.shutdown();
    write(null);
  }

  /**
   * Writes these leases' counts now, in the background (their lease ended); after shutdown, the
   * last write takes them.
   */
  void flush(Collection<String> leaseIds) {
    List<String> ids = List.copyOf(leaseIds);
    try {
      writer.execute(() -> write(ids));
    } catch (RejectedExecutionException shuttingDown) {
      // stop() writes what is left
    }
  }

  @Override
  public void connectionOpened(GatewayGrant grant, String connectionId) {
    count(grant, t -> t.connections++);
  }

  @Override
  public void connectionClosed(GatewayGrant grant, String connectionId) {
    // Connections are counted as they open; their end is in Neo4j's own log.
  }

  @Override
  public void transactionBegun(GatewayGrant grant) {
    count(grant, t -> t.transactions++);
  }

  @Override
  public void queryRun(GatewayGrant grant, boolean autoCommit) {
    count(grant, t -> t.queries++);
  }

  @Override
  public void queryRefused(GatewayGrant grant, String rule, String queryHash) {
    Instant at = clock.instant();
    count(grant, t -> t.refused(rule, queryHash, at));
  }

  @Override
  public void requestRefused(GatewayGrant grant, String rule) {
    Instant at = clock.instant();
    count(grant, t -> t.refused(rule, "", at));
  }

  /**
   * Changes a lease's tally inside the map's atomic update, so that a write taking the tally away
   * at the same moment never loses a count: the count lands in the old tally before it is taken, or
   * in a new one after.
   */
  private void count(GatewayGrant grant, Consumer<Tally> change) {
    tallies.compute(
        grant.leaseId(),
        (id, tally) -> {
          Tally t = tally == null ? new Tally(id) : tally;
          change.accept(t);
          return t;
        });
  }

  /**
   * Takes the counts of {@code leaseIds} (null: every lease) and writes them, or puts them back.
   */
  private void write(List<String> leaseIds) {
    List<GatewayActivity.Delta> deltas = new ArrayList<>();
    for (String id : leaseIds == null ? List.copyOf(tallies.keySet()) : leaseIds) {
      Tally tally = tallies.remove(id);
      if (tally != null) {
        deltas.add(tally.delta());
      }
    }
    try {
      records.add(deltas);
    } catch (RuntimeException e) {
      LOG.warnf(
          "gateway activity not written, kept for the next write: leases=%d cause=%s",
          deltas.size(), e.getClass().getName());
      deltas.forEach(d -> tallies.merge(d.leaseId(), Tally.of(d), Tally::plus));
    }
  }

  /** One lease's counts since the last write; changed only inside {@link #count}. */
  private static final class Tally {
    private final String leaseId;
    private long connections;
    private long transactions;
    private long queries;
    private long refused;
    private final Map<String, GatewayActivity.Refused> refusals = new LinkedHashMap<>();

    Tally(String leaseId) {
      this.leaseId = leaseId;
    }

    static Tally of(GatewayActivity.Delta d) {
      Tally t = new Tally(d.leaseId());
      t.connections = d.connections();
      t.transactions = d.transactions();
      t.queries = d.queries();
      t.refused = d.refused();
      d.refusals().forEach(r -> t.refusals.put(r.rule() + "/" + r.queryHash(), r));
      return t;
    }

    void refused(String rule, String queryHash, Instant at) {
      refused++;
      String hash = refusals.size() < KINDS_PER_LEASE ? queryHash : "";
      refusals.merge(
          rule + "/" + hash,
          new GatewayActivity.Refused(rule, hash, 1, at),
          (a, b) -> new GatewayActivity.Refused(rule, hash, a.count() + 1, at));
    }

    GatewayActivity.Delta delta() {
      return new GatewayActivity.Delta(
          leaseId, connections, transactions, queries, refused, List.copyOf(refusals.values()));
    }

    Tally plus(Tally other) {
      Tally sum = of(delta());
      GatewayActivity.Delta o = other.delta();
      sum.connections += o.connections();
      sum.transactions += o.transactions();
      sum.queries += o.queries();
      sum.refused += o.refused();
      o.refusals()
          .forEach(
              r ->
                  sum.refusals.merge(
                      r.rule() + "/" + r.queryHash(),
                      r,
                      (a, b) ->
                          new GatewayActivity.Refused(
                              r.rule(),
                              r.queryHash(),
                              a.count() + b.count(),
                              a.lastAt().isAfter(b.lastAt()) ? a.lastAt() : b.lastAt())));
      return sum;
    }
  }
}
