package io.neo4jaccess.lease;

import static io.neo4jaccess.state.StateStore.parameters;
import static io.neo4jaccess.state.StateStore.utc;

import io.neo4jaccess.state.StateStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.neo4j.driver.Record;

/**
 * Which lease a login through the gateway names: the active, unexpired lease on the target whose
 * user it is, and only if its seal verifies ({@link Forgeries}), so that a lease written into the
 * state store by anyone but the broker, or with its grant altered, opens no connection.
 */
@ApplicationScoped
public class LeaseLogins {

  private static final String ACTIVE =
      """
      MATCH (l:Lease {username: $username})
      WHERE l.target = $target AND l.state = $active AND l.expiresAt > $now
        AND l.forgedAt IS NULL
      MATCH (p:Project)-[:RAN]->(pl:Pipeline)-[:HAS]->(j:Job)-[:HOLDS]->(l)
      RETURN l, p, pl, j,\s"""
          + Forgeries.SEALED;

  /** Of the given leases, those a gateway connection may no longer serve. */
  private static final String ENDED =
      """
      UNWIND $ids AS id
      OPTIONAL MATCH (l:Lease {id: id})
      WITH id, l
      WHERE l IS NULL OR l.state <> $active OR l.forgedAt IS NOT NULL OR l.expiresAt <= $now
      RETURN collect(id) AS ended
      """;

  private final StateStore store;
  private final Forgeries forgeries;
  private final Clock clock;

  @Inject
  public LeaseLogins(StateStore store, Forgeries forgeries, Clock clock) {
    this.store = store;
    this.forgeries = forgeries;
    this.clock = clock;
  }

  /**
   * Those of {@code leaseIds} that are no longer active (revocation requested or begun, ended,
   * forged, past their expiry, or gone): their connections must close.
   */
  public Set<String> ended(Collection<String> leaseIds) {
    if (leaseIds.isEmpty()) {
      return Set.of();
    }
    // Asked every lease-check interval while connections are open: one round trip, no BEGIN/COMMIT.
    return Set.copyOf(
        store.statement(
            ENDED,
            parameters(
                "ids",
                List.copyOf(leaseIds),
                "active",
                LeaseState.ACTIVE.wire(),
                "now",
                utc(clock.instant())),
            result -> result.single().get("ended").asList(v -> v.asString())));
  }

  /** The genuine active lease of {@code username} on {@code target}, if there is one. */
  public Optional<Lease> active(String target, String username) {
    List<Record> rows =
        store.read(
            tx ->
                tx.run(
                        ACTIVE,
                        parameters(
                            "username",
                            username,
                            "target",
                            target,
                            "active",
                            LeaseState.ACTIVE.wire(),
                            "now",
                            utc(clock.instant())))
                    .list());
    if (rows.isEmpty() || forgeries.genuine(rows.subList(0, 1)).isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(LeaseProperties.read(rows.get(0)));
  }
}
