package io.neo4jaccess.lease;

import static io.neo4jaccess.state.StateStore.parameters;
import static io.neo4jaccess.state.StateStore.utc;

import io.neo4jaccess.state.StateStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** What the sweeper and the gauges read about leases: which are due for what, which are live. */
@ApplicationScoped
public class LeaseQueries {

  private static final String RECONCILE =
      """
      MATCH (p:Project)-[:RAN]->(:Pipeline)-[:HAS]->(j:Job)-[:HOLDS]->(l:Lease)
      WHERE l.state = $active AND coalesce(l.reconciledAt, l.issuedAt) <= $cutoff
      WITH l, p, j ORDER BY coalesce(l.reconciledAt, l.issuedAt) LIMIT $n
      SET l._lock = true REMOVE l._lock
      WITH l, p, j WHERE coalesce(l.reconciledAt, l.issuedAt) <= $cutoff
      SET l.reconciledAt = $now
      RETURN l.id AS id, p.instance AS instance, p.id AS projectId, j.id AS jobId
      """;

  /** Leases the sweeper must act on, each kind with the query that finds them at a cutoff. */
  public enum Due {
    /** A webhook asked for the revocation; the worker should have done it already. */
    REQUESTED(
        LeaseState.REVOKE_REQUESTED,
        """
        MATCH (l:Lease) WHERE l.state = $state
          AND coalesce(l.revokeRequestedAt, l.issuedAt) <= $cutoff
        RETURN l.id AS id LIMIT $n
        """),
    /** Active past its expiry. */
    EXPIRED(
        LeaseState.ACTIVE,
        """
        MATCH (l:Lease) WHERE l.state = $state AND l.expiresAt <= $cutoff
        RETURN l.id AS id LIMIT $n
        """),
    /** A failed revocation whose next attempt is due. */
    RETRY(
        LeaseState.REVOKE_FAILED,
        """
        MATCH (l:Lease) WHERE l.state = $state
          AND coalesce(l.nextAttemptAt, $cutoff) <= $cutoff
        RETURN l.id AS id LIMIT $n
        """),
    /** Issuing since before the cutoff: its exchange died. */
    STUCK_ISSUING(
        LeaseState.ISSUING,
        """
        MATCH (l:Lease) WHERE l.state = $state AND l.issuedAt <= $cutoff
        RETURN l.id AS id LIMIT $n
        """),
    /** Revoking since before the cutoff: its revoker died. */
    STUCK_REVOKING(
        LeaseState.REVOKING,
        """
        MATCH (l:Lease) WHERE l.state = $state
          AND coalesce(l.revokingSince, l.revokedAt, l.issuedAt) <= $cutoff
        RETURN l.id AS id LIMIT $n
        """);

    private final LeaseState state;
    private final String query;

    Due(LeaseState state, String query) {
      this.state = state;
      this.query = query;
    }
  }

  /** An active lease and the job whose status decides whether it should still be. */
  public record JobLease(String leaseId, String instance, long projectId, long jobId) {}

  private final StateStore store;

  @Inject
  public LeaseQueries(StateStore store) {
    this.store = store;
  }

  /** At most {@code limit} leases that are {@code due} at {@code cutoff}. */
  public List<String> due(Due due, Instant cutoff, int limit) {
    return store.read(
        tx ->
            tx.run(
                    due.query,
                    parameters("state", due.state.wire(), "cutoff", utc(cutoff), "n", limit))
                .list(r -> r.get("id").asString()));
  }

  /**
   * Active leases whose job status was last checked before {@code cutoff} (or never), oldest check
   * first; each returned lease is stamped as checked now, so replicas share the work.
   */
  public List<JobLease> reconcileCandidates(Instant cutoff, Instant now, int limit) {
    return store.write(
        tx ->
            tx.run(
                    RECONCILE,
                    parameters(
                        "active", LeaseState.ACTIVE.wire(),
                        "cutoff", utc(cutoff),
                        "now", utc(now),
                        "n", limit))
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
                        parameters("target", target, "live", LeaseState.wire(LeaseState.LIVE)))
                    .list(r -> r.get("u").asString())));
  }

  /** Active leases per target, for the {@code broker.leases.active} gauge. */
  public Map<String, Long> activeByTarget() {
    return store.read(
        tx -> {
          Map<String, Long> m = new HashMap<>();
          tx.run(
                  "MATCH (l:Lease) WHERE l.state = $active RETURN l.target AS t, count(*) AS n",
                  parameters("active", LeaseState.ACTIVE.wire()))
              .forEachRemaining(r -> m.put(r.get("t").asString(), r.get("n").asLong()));
          return m;
        });
  }
}
