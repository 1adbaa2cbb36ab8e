package io.neo4jaccess.lease;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.neo4jaccess.lease.LeaseLifecycleStore.Claimed;
import io.neo4jaccess.lease.LeaseLifecycleStore.Ending;
import io.neo4jaccess.target.Neo4jTarget;
import io.neo4jaccess.target.Targets;
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
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Revokes leases. A lease is claimed by moving it to {@code revoking} in the state store first:
 * only the replica whose claim succeeded goes on, so each lease is revoked exactly once. A failed
 * revocation is recorded as {@code revoke_failed} with its attempt count and next attempt time, and
 * the sweeper retries it.
 *
 * <p>Metrics: {@code broker.revocations{trigger, outcome}} and {@code
 * broker.revocation.delay{trigger}} (from the moment the trigger was received — the webhook, the
 * self-revoke request, the lease's expiry — to the user being gone).
 */
@ApplicationScoped
public class RevocationService {

  private static final Logger LOG = Logger.getLogger(RevocationService.class);

  /** States from which a trigger may start a revocation. */
  static final List<String> REVOCABLE = List.of("active", "revoke_requested");

  private final LeaseLifecycleStore lifecycle;
  private final Targets targets;
  private final LeaseConfig config;
  private final MeterRegistry metrics;
  private final Clock clock;

  /** How one revocation attempt ended. */
  public enum Outcome {
    REVOKED,
    FAILED
  }

  @Inject
  public RevocationService(
      LeaseLifecycleStore lifecycle,
      Targets targets,
      LeaseConfig config,
      MeterRegistry metrics,
      Clock clock) {
    this.lifecycle = lifecycle;
    this.targets = targets;
    this.config = config;
    this.metrics = metrics;
    this.clock = clock;
  }

  /**
   * Revokes a live lease now (self-revoke).
   *
   * @return false when the lease was not live (already revoked, or another replica has it)
   */
  public boolean revoke(Lease lease, String reason) {
    return claimAndRevoke(lease.id(), REVOCABLE, reason).isPresent();
  }

  /**
   * Claims a lease in one of {@code from} and revokes it.
   *
   * @return the outcome, or empty when the claim was lost (nothing done)
   */
  public Optional<Outcome> claimAndRevoke(String leaseId, Collection<String> from, String reason) {
    return lifecycle.claim(leaseId, from, reason, clock.instant()).map(this::perform);
  }

  /**
   * Claims several leases in one of {@code from} and revokes those it claimed as one batch per
   * target ({@link Neo4jTarget#revokeUsers}): one claim transaction, the users dropped, one listing
   * of transactions and one of connections, one transaction recording every outcome. Exactly-once
   * holds as for {@link #claimAndRevoke}: only the leases whose claim succeeded here are touched,
   * and each is marked {@code revoked} (or {@code failed} for an abandoned issuing) only after its
   * user is gone and its sessions ended, else {@code revoke_failed} with its backoff.
   *
   * @return how many leases this call claimed (revoked or failed), as {@link #claimAndRevoke}
   *     counts them
   */
  public int claimAndRevokeAll(
      Collection<String> leaseIds, Collection<String> from, String reason) {
    List<Claimed> claimed = lifecycle.claimAll(leaseIds, from, reason, clock.instant());
    if (claimed.isEmpty()) {
      return 0;
    }
    Map<String, List<Claimed>> byTarget = new LinkedHashMap<>();
    for (Claimed c : claimed) {
      byTarget.computeIfAbsent(c.target(), t -> new ArrayList<>()).add(c);
    }
    Map<String, RuntimeException> failures = new HashMap<>();
    for (Map.Entry<String, List<Claimed>> e : byTarget.entrySet()) {
      List<String> users = e.getValue().stream().map(Claimed::username).toList();
      Optional<Neo4jTarget> target = targets.get(e.getKey());
      if (target.isEmpty()) {
        RuntimeException gone = new IllegalStateException("target no longer configured");
        e.getValue().forEach(c -> failures.put(c.id(), gone));
        continue;
      }
      Map<String, RuntimeException> byUser = target.get().revokeUsers(users);
      for (Claimed c : e.getValue()) {
        RuntimeException f = byUser.get(c.username());
        if (f != null) {
          failures.put(c.id(), f);
        }
      }
    }
    Instant done = clock.instant();
    List<LeaseLifecycleStore.Ending> endings = new ArrayList<>(claimed.size());
    for (Claimed c : claimed) {
      RuntimeException f = failures.get(c.id());
      if (f == null) {
        endings.add(Ending.done(c.id(), c.abandonedIssuing() ? "failed" : "revoked"));
      } else {
        int attempts = c.attempts() + 1;
        endings.add(Ending.retry(c.id(), attempts, done.plus(backoff(attempts, config))));
      }
    }
    lifecycle.finishAll(endings, done);
    for (Claimed c : claimed) {
      String trigger = c.reason() == null ? "unknown" : c.reason();
      RuntimeException f = failures.get(c.id());
      if (f == null) {
        recordRevoked(c, trigger, done);
      } else {
        metrics.counter("broker.revocations", "trigger", trigger, "outcome", "failed").increment();
        LOG.warnf(
            "revocation failed, will retry: lease=%s target=%s trigger=%s attempts=%d error=%s",
            c.id(), c.target(), trigger, c.attempts() + 1, f.getClass().getSimpleName());
      }
    }
    return claimed.size();
  }

  /** Finishes a revocation whose replica died mid-way; revoking a user twice is harmless. */
  public Optional<Outcome> finishStuck(String leaseId, Instant cutoff) {
    return lifecycle.claimStuckRevoking(leaseId, cutoff, clock.instant()).map(this::perform);
  }

  /** Drops the user of a claimed lease and records the outcome. */
  Outcome perform(Claimed lease) {
    String trigger = lease.reason() == null ? "unknown" : lease.reason();
    try {
      Neo4jTarget target =
          targets
              .get(lease.target())
              .orElseThrow(() -> new IllegalStateException("target no longer configured"));
      target.revokeUser(lease.username());
    } catch (RuntimeException e) {
      int attempts = lease.attempts() + 1;
      Instant next = clock.instant().plus(backoff(attempts, config));
      lifecycle.failed(lease.id(), attempts, next);
      metrics.counter("broker.revocations", "trigger", trigger, "outcome", "failed").increment();
      LOG.warnf(
          "revocation failed, will retry: lease=%s target=%s trigger=%s attempts=%d next=%s"
              + " error=%s",
          lease.id(), lease.target(), trigger, attempts, next, e.getClass().getSimpleName());
      return Outcome.FAILED;
    }
    Instant done = clock.instant();
    lifecycle.finish(lease.id(), lease.abandonedIssuing() ? "failed" : "revoked", done);
    recordRevoked(lease, trigger, done);
    return Outcome.REVOKED;
  }

  private void recordRevoked(Claimed lease, String trigger, Instant done) {
    metrics.counter("broker.revocations", "trigger", trigger, "outcome", "revoked").increment();
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

  /** Drops a user that no live lease owns (crash between CREATE USER and the lease record). */
  public boolean dropOrphan(Neo4jTarget target, String username) {
    try {
      target.revokeUser(username);
      metrics
          .counter("broker.revocations", "trigger", "orphan_user", "outcome", "revoked")
          .increment();
      LOG.infof("orphan user dropped: target=%s user=%s", target.name(), username);
      return true;
    } catch (RuntimeException e) {
      metrics
          .counter("broker.revocations", "trigger", "orphan_user", "outcome", "failed")
          .increment();
      LOG.warnf(
          "orphan user not dropped, next sweep retries: target=%s user=%s error=%s",
          target.name(), username, e.getClass().getSimpleName());
      return false;
    }
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
