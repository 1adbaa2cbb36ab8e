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
import org.neo4j.driver.Record;

/** What the sweeper and the gauges read about leases: which are due for what, which are live. */
@ApplicationScoped
public class LeaseQueries {

  /** Active leases whose job status was last checked before the cutoff, oldest check first. */
  private static final String RECONCILABLE =
      """
      MATCH (l:Lease) WHERE l.state = $active AND l.forgedAt IS NULL
        AND coalesce(l.reconciledAt, l.issuedAt) <= $cutoff
      RETURN l.id AS id ORDER BY coalesce(l.reconciledAt, l.issuedAt) LIMIT $n
      """;

  /** Stamps leases, locked and vetted in this transaction, as checked now. */
  private static final String RECONCILE =
      """
      UNWIND $ids AS id
      MATCH (l:Lease {id: id}) WHERE coalesce(l.reconciledAt, l.issuedAt) <= $cutoff
      SET l.reconciledAt = $now
      RETURN l.id AS id
      """;

  private static final String LIVE =
      "MATCH (l:Lease) WHERE l.target = $target AND l.state IN $live AND l.forgedAt IS NULL"
          + " RETURN "
          + Forgeries.SEALED;

  /**
   * Leases the sweeper must act on, each kind with the query that finds them at a cutoff. Leases
   * found forged once ({@link Forgeries}) are never found again.
   */
  public enum Due {
    /** A webhook asked for the revocation; the worker should have done it already. */
    REQUESTED(
        LeaseState.REVOKE_REQUESTED,
        """
        MATCH (l:Lease) WHERE l.state = $state
          AND coalesce(l.revokeRequestedAt, l.issuedAt) <= $cutoff
          AND l.forgedAt IS NULL
        RETURN l.id AS id LIMIT $n
        """),
    /** Active past its expiry. */
    EXPIRED(
        LeaseState.ACTIVE,
        """
        MATCH (l:Lease) WHERE l.state = $state AND l.expiresAt <= $cutoff
          AND l.forgedAt IS NULL
        RETURN l.id AS id LIMIT $n
        """),
    /** A failed revocation whose next attempt is due. */
    RETRY(
        LeaseState.REVOKE_FAILED,
        """
        MATCH (l:Lease) WHERE l.state = $state
          AND coalesce(l.nextAttemptAt, $cutoff) <= $cutoff
          AND l.forgedAt IS NULL
        RETURN l.id AS id LIMIT $n
        """),
    /** Issuing since before the cutoff: its exchange died. */
    STUCK_ISSUING(
        LeaseState.ISSUING,
        """
        MATCH (l:Lease) WHERE l.state = $state AND l.issuedAt <= $cutoff
          AND l.forgedAt IS NULL
        RETURN l.id AS id LIMIT $n
        """),
    /** Revoking since before the cutoff: its revoker died. */
    STUCK_REVOKING(
        LeaseState.REVOKING,
        """
        MATCH (l:Lease) WHERE l.state = $state
          AND coalesce(l.revokingSince, l.revokedAt, l.issuedAt) <= $cutoff
          AND l.forgedAt IS NULL
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
  private final Forgeries forgeries;

  @Inject
  public LeaseQueries(StateStore store, Forgeries forgeries) {
    this.store = store;
    this.forgeries = forgeries;
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
   * Genuine active leases whose job status was last checked before {@code cutoff} (or never),
   * oldest check first; each returned lease is stamped as checked now, so replicas share the work.
   */
  public List<JobLease> reconcileCandidates(Instant cutoff, Instant now, int limit) {
    return store.write(
        tx -> {
          List<String> due =
              tx.run(
                      RECONCILABLE,
                      parameters(
                          "active", LeaseState.ACTIVE.wire(), "cutoff", utc(cutoff), "n", limit))
                  .list(r -> r.get("id").asString());
          List<LeaseSeal.Fields> genuine = forgeries.vet(tx, due, List.of(LeaseState.ACTIVE));
          Set<String> stamped =
              new HashSet<>(
                  tx.run(
                          RECONCILE,
                          parameters(
                              "ids",
                              genuine.stream().map(LeaseSeal.Fields::leaseId).toList(),
                              "cutoff",
                              utc(cutoff),
                              "now",
                              utc(now)))
                      .list(r -> r.get("id").asString()));
          return genuine.stream()
              .filter(l -> stamped.contains(l.leaseId()))
              .map(l -> new JobLease(l.leaseId(), l.instance(), l.projectId(), l.jobId()))
              .toList();
        });
  }

  /**
   * User names of a target that a genuine live lease owns; a user owned only by a forged lease is
   * an orphan.
   */
  public Set<String> liveUsernames(String target) {
    List<Record> live =
        store.read(
            tx ->
                tx.run(LIVE, parameters("target", target, "live", LeaseState.wire(LeaseState.LIVE)))
                    .list());
    Set<String> owned = new HashSet<>();
    forgeries.genuine(live).forEach(l -> owned.add(l.username()));
    return owned;
  }

  /** Active leases per target, for the {@code broker.leases.active} gauge. */
  public Map<String, Long> activeByTarget() {
    return store.read(
        tx -> {
          Map<String, Long> m = new HashMap<>();
          tx.run(
                  "MATCH (l:Lease) WHERE l.state = $active AND l.forgedAt IS NULL"
                      + " RETURN l.target AS t, count(*) AS n",
                  parameters("active", LeaseState.ACTIVE.wire()))
              .forEachRemaining(r -> m.put(r.get("t").asString(), r.get("n").asLong()));
          return m;
        });
  }
}
