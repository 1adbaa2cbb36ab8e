package io.neo4jaccess.lease;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.neo4jaccess.lease.RevocationRepository.Claimed;
import io.neo4jaccess.lease.RevocationRepository.Ending;
import io.neo4jaccess.neo4j.Neo4jTarget;
import io.neo4jaccess.neo4j.NotBrokerUser;
import io.neo4jaccess.neo4j.Targets;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Revokes leases. A lease is first claimed, moved to revoking in the state store: only the replica
 * whose claim succeeded goes on, so each lease is revoked exactly once. The claimed leases'
 * connections through this broker's gateway are closed first ({@link LeaseConnections}); their
 * users are then cut off per target in one batch ({@link Neo4jTarget#revokeUsers}), and every
 * outcome is recorded in one transaction (a pooled lease has no user: its connections' closing is
 * its cut-off): revoked (or failed, for a lease abandoned while issuing), or revoke_failed with its
 * attempt count and next attempt, which the sweeper retries. A single revocation is a batch of one.
 *
 * <p>Metrics: {@code broker.revocations{trigger, outcome}} and {@code
 * broker.revocation.delay{trigger}} (from the trigger — the webhook, the self-revoke request, the
 * lease's expiry — to the user being gone).
 */
@ApplicationScoped
public class Revoker {

  private static final Logger LOG = Logger.getLogger(Revoker.class);

  private final RevocationRepository records;
  private final LeaseConnections connections;
  private final Targets targets;
  private final LeaseConfig config;
  private final MeterRegistry metrics;
  private final Clock clock;

  @Inject
  public Revoker(
      RevocationRepository records,
      LeaseConnections connections,
      Targets targets,
      LeaseConfig config,
      MeterRegistry metrics,
      Clock clock) {
    this.records = records;
    this.connections = connections;
    this.targets = targets;
    this.config = config;
    this.metrics = metrics;
    this.clock = clock;
  }

  /**
   * Claims the leases that are in one of {@code from} and revokes them.
   *
   * @param reason recorded on leases taken from active or issuing; a webhook's request keeps its
   *     own
   * @return how many leases this call claimed; the rest were taken by another replica or trigger
   */
  public int revoke(Collection<String> leaseIds, Collection<LeaseState> from, String reason) {
    return perform(records.claim(leaseIds, from, reason, clock.instant()));
  }

  /** Finishes revocations whose replica died mid-way; revoking a user twice is harmless. */
  public int finishStuck(Collection<String> leaseIds, Instant cutoff) {
    return perform(records.reclaimStuck(leaseIds, cutoff, clock.instant()));
  }

  private int perform(List<Claimed> claimed) {
    if (claimed.isEmpty()) {
      return 0;
    }
    connections.close(claimed.stream().map(Claimed::id).toList());
    Map<String, RuntimeException> failures = cutOff(claimed);
    Instant done = clock.instant();
    List<Ending> endings = new ArrayList<>(claimed.size());
    for (Claimed c : claimed) {
      RuntimeException failure = failures.get(c.id());
      int attempts = c.attempts() + 1;
      if (failure instanceof NotBrokerUser) {
        // Asking again cannot give the user the prefix: this lease ends here, its user untouched.
        endings.add(new Ending(c.id(), LeaseState.FAILED, attempts, null, false));
      } else if (failure != null) {
        endings.add(
            new Ending(
                c.id(),
                LeaseState.REVOKE_FAILED,
                attempts,
                done.plus(backoff(attempts, config)),
                false));
      } else {
        LeaseState to = c.abandonedIssuing() ? LeaseState.FAILED : LeaseState.REVOKED;
        endings.add(new Ending(c.id(), to, 0, null, true));
      }
    }
    records.finish(endings, done);
    for (Claimed c : claimed) {
      report(c, failures.get(c.id()), done);
    }
    return claimed.size();
  }

  /** Cuts the claimed leases' users off, per target; answers the failures by lease id. */
  private Map<String, RuntimeException> cutOff(List<Claimed> claimed) {
    Map<String, List<Claimed>> byTarget = new LinkedHashMap<>();
    for (Claimed c : claimed) {
      // A pooled lease has no user: closing its gateway connections, here and (as the lease is no
      // longer active) on every other replica, is its whole revocation.
      if (!c.pooled()) {
        byTarget.computeIfAbsent(c.target(), t -> new ArrayList<>()).add(c);
      }
    }
    Map<String, RuntimeException> failures = new HashMap<>();
    byTarget.forEach(
        (name, leases) -> {
          Neo4jTarget target = targets.get(name).orElse(null);
          if (target == null) {
            RuntimeException gone = new IllegalStateException("target no longer configured");
            leases.forEach(c -> failures.put(c.id(), gone));
            return;
          }
          Map<String, RuntimeException> byUser =
              target.revokeUsers(leases.stream().map(Claimed::username).toList());
          leases.forEach(
              c -> {
                if (byUser.containsKey(c.username())) {
                  failures.put(c.id(), byUser.get(c.username()));
                }
              });
        });
    return failures;
  }

  private void report(Claimed lease, RuntimeException failure, Instant done) {
    String trigger = lease.reason() == null ? "unknown" : lease.reason();
    metrics
        .counter("broker.revocations", "trigger", trigger, "outcome", outcome(failure))
        .increment();
    if (failure instanceof NotBrokerUser) {
      LOG.warnf(
          "revocation refused, the user lacks the target's prefix and is left in place:"
              + " lease=%s target=%s user=%s trigger=%s",
          lease.id(), lease.target(), lease.username(), trigger);
      return;
    }
    if (failure != null) {
      LOG.warnf(
          "revocation failed, will retry: lease=%s target=%s trigger=%s attempts=%d error=%s",
          lease.id(),
          lease.target(),
          trigger,
          lease.attempts() + 1,
          failure.getClass().getSimpleName());
      return;
    }
    if (lease.requestedAt() != null && !done.isBefore(lease.requestedAt())) {
      Timer.builder("broker.revocation.delay")
          .description("From the revocation's trigger to the user being gone")
          .tag("trigger", trigger)
          .register(metrics)
          .record(Duration.between(lease.requestedAt(), done));
    }
    LOG.infof(
        "lease revoked: lease=%s trigger=%s user=%s attempts=%d",
        lease.id(), trigger, lease.username(), lease.attempts() + 1);
  }

  /**
   * Drops users that no live lease owns (a crash between CREATE USER and the lease record).
   *
   * @return how many were dropped; the others are tried again by the next sweep
   */
  public int dropOrphans(Neo4jTarget target, List<String> usernames) {
    if (usernames.isEmpty()) {
      return 0;
    }
    Map<String, RuntimeException> failed = target.revokeUsers(usernames);
    for (String user : usernames) {
      RuntimeException failure = failed.get(user);
      metrics
          .counter("broker.revocations", "trigger", "orphan_user", "outcome", outcome(failure))
          .increment();
      if (failure == null) {
        LOG.infof("orphan user dropped: target=%s user=%s", target.name(), user);
      } else {
        LOG.warnf(
            "orphan user not dropped, next sweep retries: target=%s user=%s error=%s",
            target.name(), user, failure.getClass().getSimpleName());
      }
    }
    return usernames.size() - failed.size();
  }

  /** {@code revoked}, {@code refused} (a user without the target's prefix) or {@code failed}. */
  private static String outcome(RuntimeException failure) {
    if (failure == null) {
      return "revoked";
    }
    return failure instanceof NotBrokerUser ? "refused" : "failed";
  }

  /**
   * Wait before attempt {@code attempts + 1}: {@code retryBackoff * 2^(attempts-1)}, capped at
   * {@code retryBackoffMax}.
   */
  static Duration backoff(int attempts, LeaseConfig config) {
    return backoff(attempts, config.retryBackoff(), config.retryBackoffMax());
  }

  static Duration backoff(int attempts, Duration base, Duration max) {
    int shift = Math.max(0, Math.min(attempts - 1, 30));
    long millis = base.toMillis();
    long scaled = millis > (Long.MAX_VALUE >> shift) ? Long.MAX_VALUE : millis << shift;
    return scaled >= max.toMillis() ? max : Duration.ofMillis(scaled);
  }
}
