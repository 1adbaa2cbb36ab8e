package io.neo4jaccess.lease;

import static io.neo4jaccess.lease.LeaseState.REVOKE_FAILED;
import static io.neo4jaccess.lease.LeaseState.REVOKE_REQUESTED;
import static io.neo4jaccess.lease.LeaseState.REVOKING;
import static io.neo4jaccess.state.StateStore.instant;
import static io.neo4jaccess.state.StateStore.parameters;
import static io.neo4jaccess.state.StateStore.utc;

import io.neo4jaccess.state.StateStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.neo4j.driver.Record;
import org.neo4j.driver.Transaction;

/**
 * The revocation side of a lease's record: requests (webhooks), claims (exactly one replica goes
 * on), and outcomes. Each write takes the leases' write locks in the order of their ids before it
 * reads their state (see {@link LeaseRepository}), so replicas working on overlapping batches wait
 * for each other instead of deadlocking, and a lease another replica moved first is left out.
 * Requests and claims lock and verify the leases' seals first ({@link Forgeries}), in the same
 * transaction, and move only the genuine ones.
 */
@ApplicationScoped
public class RevocationRepository {

  /** Moves claimable leases to revoking; counts a revocation once per live lease. */
  private static final String CLAIM =
      """
      UNWIND $ids AS id
      MATCH (l:Lease {id: id})
      SET l._lock = true REMOVE l._lock
      WITH l WHERE l.state IN $from
      WITH l, l.state AS was, l.state IN $live AS first
      SET l.revocations = coalesce(l.revocations, 0) + CASE WHEN first THEN 1 ELSE 0 END,
          l.revokeReason = CASE WHEN first AND was <> $requested THEN $reason
                                ELSE coalesce(l.revokeReason, $reason) END,
          l.revokeRequestedAt = CASE WHEN first AND was <> $requested THEN $now
                                     ELSE coalesce(l.revokeRequestedAt, $now) END,
          l.abandonedIssuing = (was = $issuing OR coalesce(l.abandonedIssuing, false)),
          l.revokingSince = $now, l.state = $to
      """
          + Claimed.RETURN;

  /** Re-claims leases left revoking since before the cutoff by a replica that died mid-way. */
  private static final String RECLAIM =
      """
      UNWIND $ids AS id
      MATCH (l:Lease {id: id})
      SET l._lock = true REMOVE l._lock
      WITH l WHERE l.state IN $from
        AND coalesce(l.revokingSince, l.revokedAt, l.issuedAt) <= $cutoff
      SET l.revokingSince = $now, l.state = $to
      """
          + Claimed.RETURN;

  private static final String FINISH =
      """
      UNWIND $rows AS r
      MATCH (l:Lease {id: r.id})
      SET l._lock = true REMOVE l._lock
      WITH l, r WHERE l.state IN $from
      FOREACH (_ IN CASE WHEN r.to = $retry THEN [1] ELSE [] END |
        SET l.state = r.to, l.attempts = r.attempts, l.nextAttemptAt = r.next)
      FOREACH (_ IN CASE WHEN r.to <> $retry THEN [1] ELSE [] END |
        SET l.state = r.to, l.revokedAt = CASE WHEN r.cutOff THEN $now END,
            l.nextAttemptAt = null)
      """;

  /** The active leases of one project that a selector names. */
  private static final String REQUESTABLE =
      """
      MATCH (p:Project {key: $projectKey})-[:RAN]->(:Pipeline)-[:HAS]->(j:Job)
            -[:HOLDS]->(l:Lease)
      WHERE l.state IN $from
        AND CASE $kind WHEN 'JOB' THEN j.id = $id
                       ELSE j.environment = $environment END
      RETURN l.id AS id
      """;

  /** Marks leases, locked and vetted in this transaction, as revoke_requested. */
  private static final String REQUEST =
      """
      UNWIND $ids AS id
      MATCH (l:Lease {id: id}) WHERE l.state IN $from
      SET l.state = $to, l.revokeReason = $trigger, l.revokeRequestedAt = $now
      RETURN l.id AS id
      """;

  private final StateStore store;
  private final Forgeries forgeries;

  /**
   * A lease claimed for revocation, with what the revoker needs. Never a password.
   *
   * @param pooled whether the lease runs on a pooled gateway login: it has no user to cut off
   */
  public record Claimed(
      String id,
      String target,
      String username,
      String reason,
      Instant requestedAt,
      int attempts,
      boolean abandonedIssuing,
      boolean pooled) {

    static final String RETURN =
        """
        RETURN l.id AS id, l.target AS target, l.username AS username,
               l.revokeReason AS reason, l.revokeRequestedAt AS requestedAt,
               coalesce(l.attempts, 0) AS attempts,
               coalesce(l.abandonedIssuing, false) AS abandoned,
               l.upstream = 'pooled' AS pooled
        ORDER BY id
        """;

    static Claimed of(Record r) {
      return new Claimed(
          r.get("id").asString(),
          r.get("target").asString(),
          r.get("username").asString(),
          r.get("reason").asString(null),
          instant(r.get("requestedAt")),
          r.get("attempts").asInt(),
          r.get("abandoned").asBoolean(),
          r.get("pooled").asBoolean(false));
    }
  }

  /**
   * How a claimed revocation ended: {@code revoked}, {@code failed} (an abandoned issuing lease, or
   * a user the target refused to cut off), or {@code revoke_failed} to be retried at {@code
   * nextAttemptAt}.
   *
   * @param cutOff whether the user is gone, which stamps {@code revokedAt}
   */
  public record Ending(
      String id, LeaseState to, int attempts, Instant nextAttemptAt, boolean cutOff) {}

  @Inject
  public RevocationRepository(StateStore store, Forgeries forgeries) {
    this.store = store;
    this.forgeries = forgeries;
  }

  /**
   * Moves the leases that are in one of {@code from} to revoking. A claim of a live lease counts
   * one revocation on its {@code revocations} property; a retry of a failed one does not. A lease
   * taken from active or issuing gets {@code reason} and {@code now} as its revocation's reason and
   * start; one a webhook requested keeps the webhook's.
   *
   * @return the leases claimed here; the others were in none of {@code from}
   */
  public List<Claimed> claim(
      Collection<String> leaseIds, Collection<LeaseState> from, String reason, Instant now) {
    if (leaseIds.isEmpty()) {
      return List.of();
    }
    List<String> fromStates = LeaseState.requireMove(from, REVOKING);
    return store.write(
        tx ->
            tx.run(
                    CLAIM,
                    parameters(
                        "ids", genuine(tx, leaseIds, from),
                        "from", fromStates,
                        "to", REVOKING.wire(),
                        "live", LeaseState.wire(LeaseState.BEFORE_REVOCATION),
                        "requested", REVOKE_REQUESTED.wire(),
                        "issuing", LeaseState.ISSUING.wire(),
                        "reason", reason,
                        "now", utc(now)))
                .list(Claimed::of));
  }

  /** Re-claims leases still revoking since before {@code cutoff}; their replica died mid-way. */
  public List<Claimed> reclaimStuck(Collection<String> leaseIds, Instant cutoff, Instant now) {
    if (leaseIds.isEmpty()) {
      return List.of();
    }
    List<String> fromStates = LeaseState.requireMove(List.of(REVOKING), REVOKING);
    return store.write(
        tx ->
            tx.run(
                    RECLAIM,
                    parameters(
                        "ids", genuine(tx, leaseIds, List.of(REVOKING)),
                        "from", fromStates,
                        "to", REVOKING.wire(),
                        "cutoff", utc(cutoff),
                        "now", utc(now)))
                .list(Claimed::of));
  }

  /** Records how each claimed revocation ended, in one transaction. */
  public void finish(Collection<Ending> endings, Instant now) {
    if (endings.isEmpty()) {
      return;
    }
    List<Map<String, Object>> rows = new ArrayList<>();
    for (Ending e : endings.stream().sorted(Comparator.comparing(Ending::id)).toList()) {
      LeaseState.requireMove(List.of(REVOKING), e.to());
      rows.add(
          parameters(
              "id", e.id(),
              "to", e.to().wire(),
              "attempts", e.attempts(),
              "next", utc(e.nextAttemptAt()),
              "cutOff", e.cutOff()));
    }
    store.write(
        tx ->
            tx.run(
                    FINISH,
                    parameters(
                        "rows", rows,
                        "from", List.of(REVOKING.wire()),
                        "retry", REVOKE_FAILED.wire(),
                        "now", utc(now)))
                .consume());
  }

  /**
   * Marks the active leases each selector names as revoke_requested, in the caller's transaction (a
   * webhook delivery is recorded in the same one).
   *
   * @return the ids of the leases marked
   */
  public List<String> request(
      Transaction tx, String instance, Collection<LeaseSelector> selectors, Instant now) {
    List<String> from = LeaseState.requireMove(List.of(LeaseState.ACTIVE), REVOKE_REQUESTED);
    List<String> marked = new ArrayList<>();
    for (LeaseSelector s : selectors) {
      List<String> named =
          tx.run(
                  REQUESTABLE,
                  parameters(
                      "projectKey", instance + "/" + s.projectId(),
                      "kind", s.kind().name(),
                      "id", s.id(),
                      "environment", s.environment(),
                      "from", from))
              .list(r -> r.get("id").asString());
      marked.addAll(
          tx.run(
                  REQUEST,
                  parameters(
                      "ids", genuine(tx, named, List.of(LeaseState.ACTIVE)),
                      "from", from,
                      "to", REVOKE_REQUESTED.wire(),
                      "trigger", s.trigger(),
                      "now", utc(now)))
              .list(r -> r.get("id").asString()));
    }
    return marked;
  }

  /** The ids of the genuine leases among {@code leaseIds} in {@code from}, locked in order. */
  private List<String> genuine(
      Transaction tx, Collection<String> leaseIds, Collection<LeaseState> from) {
    return forgeries.vet(tx, leaseIds, from).stream().map(LeaseSeal.Fields::leaseId).toList();
  }
}
