package io.neo4jaccess.lease;

import static io.neo4jaccess.lease.LeaseStore.parameters;
import static io.neo4jaccess.lease.LeaseStore.utc;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.neo4j.driver.Record;
import org.neo4j.driver.Transaction;
import org.neo4j.driver.Value;
import org.neo4j.driver.exceptions.ClientException;

/**
 * The state-graph side of a lease's life after issuing: revocation claims, retries, webhook
 * deliveries and the sweeper's queries. Every state change takes the lease's write lock before it
 * reads the state, so that of several replicas exactly one moves a lease (see {@link
 * LeaseStore#markActive}).
 *
 * <p>States: {@code issuing -> active -> [revoke_requested ->] revoking -> revoked}; {@code
 * revoking -> revoke_failed -> revoking} (retried with backoff); {@code issuing -> revoking ->
 * failed} for a lease abandoned before it became active.
 */
@ApplicationScoped
public class LeaseLifecycleStore {

  /** States in which a lease's user may exist and must not be taken for an orphan. */
  public static final List<String> LIVE_STATES =
      List.of("issuing", "active", "revoke_requested", "revoking", "revoke_failed");

  private static final List<String> SCHEMA =
      List.of(
          "CREATE CONSTRAINT webhook_delivery_key IF NOT EXISTS"
              + " FOR (n:WebhookDelivery) REQUIRE n.key IS UNIQUE",
          "CREATE INDEX webhook_delivery_expiry IF NOT EXISTS"
              + " FOR (n:WebhookDelivery) ON (n.expiresAt)");

  /** Takes the lease's write lock, then re-reads it: the pattern every claim below starts with. */
  private static final String LOCKED = " SET l._lock = true REMOVE l._lock WITH l ";

  private final LeaseStore store;

  /** A lease claimed for revocation, with what the revoker needs. Never a password. */
  public record Claimed(
      String id,
      String target,
      String username,
      String reason,
      Instant requestedAt,
      int attempts,
      boolean abandonedIssuing) {}

  /** Which active leases one webhook event ends. */
  public record Scope(Kind kind, long projectId, long id, String environment, String trigger) {
    /** What the event names: one job, every job of one pipeline, or one environment. */
    public enum Kind {
      JOB,
      PIPELINE,
      ENVIRONMENT
    }
  }

  /** An active lease and the job whose status decides whether it should still be. */
  public record JobLease(String leaseId, String instance, long projectId, long jobId) {}

  @Inject
  public LeaseLifecycleStore(LeaseStore store) {
    this.store = store;
  }

  void createSchema(@Observes StartupEvent e) {
    store.write(
        tx -> {
          SCHEMA.forEach(s -> tx.run(s).consume());
          return null;
        });
  }

  // --- claims -------------------------------------------------------------------------------

  /**
   * Moves a lease from one of {@code from} to {@code revoking}. A claim of a live lease ({@code
   * active}, {@code revoke_requested}, {@code issuing}) counts one revocation on the lease's {@code
   * revocations} property; a retry of a failed one does not.
   *
   * @return the claimed lease, or empty when it was in none of {@code from} (another replica or
   *     trigger got it first)
   */
  public Optional<Claimed> claim(
      String leaseId, Collection<String> from, String reason, Instant now) {
    return store.write(
        tx ->
            tx
                .run(
                    "MATCH (l:Lease {id: $id})" + CLAIM + CLAIMED_RETURN,
                    parameters(
                        "id",
                        leaseId,
                        "from",
                        List.copyOf(from),
                        "reason",
                        reason,
                        "now",
                        utc(now)))
                .stream()
                .findFirst()
                .map(LeaseLifecycleStore::claimed));
  }

  /** Takes the lock of a matched lease {@code l}, then moves it from {@code $from} to revoking. */
  private static final String CLAIM =
      LOCKED
          + "WHERE l.state IN $from"
          + " WITH l, l.state AS was"
          + " SET l.revocations = coalesce(l.revocations, 0)"
          + "       + CASE WHEN was IN ['active', 'revoke_requested', 'issuing']"
          + "         THEN 1 ELSE 0 END,"
          + "     l.revokeReason = CASE WHEN was IN ['active', 'issuing'] THEN $reason"
          + "       ELSE coalesce(l.revokeReason, $reason) END,"
          + "     l.revokeRequestedAt = CASE WHEN was IN ['active', 'issuing'] THEN $now"
          + "       ELSE coalesce(l.revokeRequestedAt, $now) END,"
          + "     l.abandonedIssuing = (was = 'issuing' OR coalesce(l.abandonedIssuing,"
          + " false)),"
          + "     l.revokingSince = $now, l.state = 'revoking'";

  /**
   * {@link #claim} for several leases in one transaction: each lease is locked and its state
   * checked on its own, exactly as one claim does, so a lease another replica claimed first is left
   * out. The leases are locked in the order of their ids, so that replicas claiming overlapping
   * batches wait for each other instead of deadlocking.
   *
   * @return the leases this call claimed; the others were in none of {@code from}
   */
  public List<Claimed> claimAll(
      Collection<String> leaseIds, Collection<String> from, String reason, Instant now) {
    if (leaseIds.isEmpty()) {
      return List.of();
    }
    List<String> ids = leaseIds.stream().distinct().sorted().toList();
    return store.write(
        tx ->
            tx.run(
                    "UNWIND $ids AS id MATCH (l:Lease {id: id})" + CLAIM + CLAIMED_RETURN,
                    parameters(
                        "ids", ids, "from", List.copyOf(from), "reason", reason, "now", utc(now)))
                .list(LeaseLifecycleStore::claimed));
  }

  /** One claimed lease's end, for {@link #finishAll}. */
  public record Ending(String id, String to, int attempts, Instant nextAttemptAt) {
    /** Revoked ({@code to} = revoked or failed). */
    public static Ending done(String id, String to) {
      return new Ending(id, to, 0, null);
    }

    /** Not revoked: {@code revoke_failed}, retried at {@code next}. */
    public static Ending retry(String id, int attempts, Instant next) {
      return new Ending(id, "revoke_failed", attempts, next);
    }
  }

  /**
   * {@link #finish} and {@link #failed} for several claimed leases in one transaction, locked in
   * the order of their ids.
   */
  public void finishAll(Collection<Ending> endings, Instant now) {
    if (endings.isEmpty()) {
      return;
    }
    List<Map<String, Object>> rows =
        endings.stream()
            .sorted(java.util.Comparator.comparing(Ending::id))
            .map(
                e ->
                    parameters(
                        "id",
                        e.id(),
                        "to",
                        e.to(),
                        "attempts",
                        e.attempts(),
                        "next",
                        utc(e.nextAttemptAt())))
            .toList();
    store.write(
        tx ->
            tx.run(
                    "UNWIND $rows AS r MATCH (l:Lease {id: r.id})"
                        + LOCKED.replace("WITH l ", "WITH l, r ")
                        + "WHERE l.state = 'revoking'"
                        + " FOREACH (_ IN CASE WHEN r.to = 'revoke_failed' THEN [1] ELSE [] END |"
                        + "   SET l.state = 'revoke_failed', l.attempts = r.attempts,"
                        + "       l.nextAttemptAt = r.next)"
                        + " FOREACH (_ IN CASE WHEN r.to <> 'revoke_failed' THEN [1] ELSE [] END |"
                        + "   SET l.state = r.to, l.revokedAt = $now, l.nextAttemptAt = null)",
                    parameters("rows", rows, "now", utc(now)))
                .consume());
  }

  /**
   * Re-claims a lease left in {@code revoking} since before {@code cutoff} by a replica that died
   * mid-revocation; the fresh {@code revokingSince} keeps other replicas off it.
   */
  public Optional<Claimed> claimStuckRevoking(String leaseId, Instant cutoff, Instant now) {
    return store.write(
        tx ->
            tx
                .run(
                    "MATCH (l:Lease {id: $id})"
                        + LOCKED
                        + "WHERE l.state = 'revoking'"
                        + " AND coalesce(l.revokingSince, l.revokedAt, l.issuedAt) <= $cutoff"
                        + " SET l.revokingSince = $now"
                        + CLAIMED_RETURN,
                    parameters("id", leaseId, "cutoff", utc(cutoff), "now", utc(now)))
                .stream()
                .findFirst()
                .map(LeaseLifecycleStore::claimed));
  }

  private static final String CLAIMED_RETURN =
      " RETURN l.id AS id, l.target AS target, l.username AS username,"
          + " l.revokeReason AS reason, l.revokeRequestedAt AS requestedAt,"
          + " coalesce(l.attempts, 0) AS attempts, coalesce(l.abandonedIssuing, false) AS abandoned";

  private static Claimed claimed(Record r) {
    return new Claimed(
        r.get("id").asString(),
        r.get("target").asString(),
        r.get("username").asString(),
        r.get("reason").asString(null),
        instant(r.get("requestedAt")),
        r.get("attempts").asInt(),
        r.get("abandoned").asBoolean());
  }

  /** Ends a claimed revocation: {@code revoked}, or {@code failed} for an abandoned issuing. */
  public boolean finish(String leaseId, String to, Instant now) {
    return store.write(
        tx ->
            tx.run(
                        "MATCH (l:Lease {id: $id})"
                            + LOCKED
                            + "WHERE l.state = 'revoking'"
                            + " SET l.state = $to, l.revokedAt = $now, l.nextAttemptAt = null"
                            + " RETURN count(l) AS n",
                        parameters("id", leaseId, "to", to, "now", utc(now)))
                    .single()
                    .get("n")
                    .asLong()
                > 0);
  }

  /** Records a failed attempt; the sweeper retries at {@code nextAttemptAt}. */
  public void failed(String leaseId, int attempts, Instant nextAttemptAt) {
    store.write(
        tx ->
            tx.run(
                    "MATCH (l:Lease {id: $id})"
                        + LOCKED
                        + "WHERE l.state = 'revoking'"
                        + " SET l.state = 'revoke_failed', l.attempts = $attempts,"
                        + " l.nextAttemptAt = $next",
                    parameters("id", leaseId, "attempts", attempts, "next", utc(nextAttemptAt)))
                .consume());
  }

  // --- webhooks ------------------------------------------------------------------------------

  /**
   * Records one webhook delivery and marks the active leases it ends {@code revoke_requested}, in
   * one transaction: once GitLab has its 2xx, the revocation survives a crash (the sweeper finishes
   * it) and a redelivery is recognised.
   *
   * @param key the delivery's idempotency key, or null when GitLab sent none (nothing to
   *     de-duplicate by; marking leases is idempotent anyway)
   * @return the ids of the leases marked, or empty when this delivery was seen before
   */
  public Optional<List<String>> acceptDelivery(
      String instance,
      String key,
      String event,
      Instant now,
      Instant keyExpiresAt,
      List<Scope> scopes) {
    try {
      return Optional.of(
          store.write(
              tx -> {
                if (key != null) {
                  tx.run(
                          "CREATE (:WebhookDelivery {key: $key, instance: $instance, event: $event,"
                              + " receivedAt: $now, expiresAt: $expiresAt})",
                          parameters(
                              "key",
                              instance + "|" + key,
                              "instance",
                              instance,
                              "event",
                              event,
                              "now",
                              utc(now),
                              "expiresAt",
                              utc(keyExpiresAt)))
                      .consume();
                }
                List<String> marked = new ArrayList<>();
                for (Scope scope : scopes) {
                  marked.addAll(request(tx, instance, scope, now));
                }
                return marked;
              }));
    } catch (ClientException e) {
      if ("Neo.ClientError.Schema.ConstraintValidationFailed".equals(e.code())) {
        return Optional.empty();
      }
      throw e;
    }
  }

  private static List<String> request(Transaction tx, String instance, Scope scope, Instant now) {
    String which =
        switch (scope.kind()) {
          case JOB -> "j.id = $id";
          case PIPELINE -> "pl.id = $id";
          case ENVIRONMENT -> "j.environment = $environment";
        };
    return tx.run(
            "MATCH (p:Project {key: $projectKey})-[:RAN]->(pl:Pipeline)-[:HAS]->(j:Job)"
                + "-[:HOLDS]->(l:Lease)"
                + " WHERE l.state = 'active' AND "
                + which
                + LOCKED
                + "WHERE l.state = 'active'"
                + " SET l.state = 'revoke_requested', l.revokeReason = $trigger,"
                + " l.revokeRequestedAt = $now"
                + " RETURN l.id AS id",
            parameters(
                "projectKey",
                instance + "/" + scope.projectId(),
                "id",
                scope.id(),
                "environment",
                scope.environment(),
                "trigger",
                scope.trigger(),
                "now",
                utc(now)))
        .list(r -> r.get("id").asString());
  }

  // --- the sweeper's queries -----------------------------------------------------------------

  /** Leases a webhook asked to revoke whose revocation was not performed (yet). */
  public List<String> requested(int limit) {
    return ids(
        "MATCH (l:Lease) WHERE l.state = 'revoke_requested' RETURN l.id AS id LIMIT $n",
        parameters("n", limit));
  }

  /** Active leases past their expiry. */
  public List<String> expired(Instant now, int limit) {
    return ids(
        "MATCH (l:Lease) WHERE l.state = 'active' AND l.expiresAt <= $now"
            + " RETURN l.id AS id LIMIT $n",
        parameters("now", utc(now), "n", limit));
  }

  /** Failed revocations whose next attempt is due. */
  public List<String> retryDue(Instant now, int limit) {
    return ids(
        "MATCH (l:Lease) WHERE l.state = 'revoke_failed' AND coalesce(l.nextAttemptAt, $now) <= $now"
            + " RETURN l.id AS id LIMIT $n",
        parameters("now", utc(now), "n", limit));
  }

  /** Leases still issuing since before {@code cutoff}: their exchange died. */
  public List<String> stuckIssuing(Instant cutoff, int limit) {
    return ids(
        "MATCH (l:Lease) WHERE l.state = 'issuing' AND l.issuedAt <= $cutoff"
            + " RETURN l.id AS id LIMIT $n",
        parameters("cutoff", utc(cutoff), "n", limit));
  }

  /** Leases still revoking since before {@code cutoff}: their revoker died. */
  public List<String> stuckRevoking(Instant cutoff, int limit) {
    return ids(
        "MATCH (l:Lease) WHERE l.state = 'revoking'"
            + " AND coalesce(l.revokingSince, l.revokedAt, l.issuedAt) <= $cutoff"
            + " RETURN l.id AS id LIMIT $n",
        parameters("cutoff", utc(cutoff), "n", limit));
  }

  /**
   * Active leases whose job status was last checked before {@code cutoff} (or never), oldest check
   * first; each returned lease is stamped as checked now, so replicas share the work.
   */
  public List<JobLease> reconcileCandidates(Instant cutoff, Instant now, int limit) {
    return store.write(
        tx ->
            tx.run(
                    LeaseStore.LEASE_MATCH
                        + "WHERE l.state = 'active'"
                        + " AND coalesce(l.reconciledAt, l.issuedAt) <= $cutoff"
                        + " WITH l, p, j ORDER BY coalesce(l.reconciledAt, l.issuedAt) LIMIT $n"
                        + LOCKED.replace("WITH l ", "WITH l, p, j ")
                        + "WHERE coalesce(l.reconciledAt, l.issuedAt) <= $cutoff"
                        + " SET l.reconciledAt = $now"
                        + " RETURN l.id AS id, p.instance AS instance, p.id AS projectId,"
                        + " j.id AS jobId",
                    parameters("cutoff", utc(cutoff), "now", utc(now), "n", limit))
                .list(
                    r ->
                        new JobLease(
                            r.get("id").asString(),
                            r.get("instance").asString(),
                            r.get("projectId").asLong(),
                            r.get("jobId").asLong())));
  }

  /** User names of a target that a live lease owns. */
  public Set<String> liveUsernames(String target) {
    return store.read(
        tx ->
            new HashSet<>(
                tx.run(
                        "MATCH (l:Lease) WHERE l.target = $target AND l.state IN $live"
                            + " RETURN l.username AS u",
                        parameters("target", target, "live", LIVE_STATES))
                    .list(r -> r.get("u").asString())));
  }

  /** Active leases per target, for the {@code broker.leases.active} gauge. */
  public Map<String, Long> activeByTarget() {
    return store.read(
        tx -> {
          Map<String, Long> m = new HashMap<>();
          tx.run("MATCH (l:Lease) WHERE l.state = 'active' RETURN l.target AS t, count(*) AS n")
              .forEachRemaining(r -> m.put(r.get("t").asString(), r.get("n").asLong()));
          return m;
        });
  }

  /** Deletes used-{@code jti} records whose token has expired. */
  public long pruneUsedJtis(Instant now, int limit) {
    return prune("UsedJti", now, limit);
  }

  /** Deletes webhook delivery keys past their retention. */
  public long pruneDeliveries(Instant now, int limit) {
    return prune("WebhookDelivery", now, limit);
  }

  private long prune(String label, Instant now, int limit) {
    return store.write(
        tx ->
            tx.run(
                    "MATCH (n:"
                        + label
                        + ") WHERE n.expiresAt < $now WITH n LIMIT $n"
                        + " DELETE n RETURN count(*) AS deleted",
                    parameters("now", utc(now), "n", limit))
                .single()
                .get("deleted")
                .asLong());
  }

  private List<String> ids(String query, Map<String, Object> params) {
    return store.read(tx -> tx.run(query, params).list(r -> r.get("id").asString()));
  }

  private static Instant instant(Value v) {
    return v == null || v.isNull() ? null : v.asZonedDateTime().toInstant();
  }
}
