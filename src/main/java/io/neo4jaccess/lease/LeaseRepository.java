package io.neo4jaccess.lease;

import static io.neo4jaccess.state.StateStore.parameters;
import static io.neo4jaccess.state.StateStore.utc;

import io.neo4jaccess.state.StateStore;
import io.neo4jaccess.support.GroupCommit;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.neo4j.driver.Record;
import org.neo4j.driver.Value;
import org.neo4j.driver.exceptions.ClientException;

/**
 * Leases in the state graph: {@code (:Job)-[:HOLDS]->(:Lease)-[:ON]->(:Target)}, written at birth
 * together with the token's used {@code jti} and the decision that granted it, and moved through
 * {@link LeaseState} afterwards. Every move takes the lease's write lock before it reads the state
 * ({@code SET l._lock = true REMOVE l._lock WITH l WHERE l.state IN $from}): under read-committed
 * isolation a plain {@code MATCH ... WHERE l.state = $from SET} lets two concurrent transactions
 * both see the old state and both "win" (a lost update; Neo4j Operations Manual, "Concurrent data
 * access"). With the lock first, of several replicas exactly one moves a lease. Every operation
 * takes a list: one lease is a batch of one.
 */
@ApplicationScoped
public class LeaseRepository {

  private static final List<String> SCHEMA =
      List.of(
          "CREATE CONSTRAINT lease_id IF NOT EXISTS FOR (n:Lease) REQUIRE n.id IS UNIQUE",
          "CREATE CONSTRAINT project_key IF NOT EXISTS FOR (n:Project) REQUIRE n.key IS UNIQUE",
          "CREATE CONSTRAINT pipeline_key IF NOT EXISTS FOR (n:Pipeline) REQUIRE n.key IS UNIQUE",
          "CREATE CONSTRAINT job_key IF NOT EXISTS FOR (n:Job) REQUIRE n.key IS UNIQUE",
          "CREATE CONSTRAINT target_name IF NOT EXISTS FOR (n:Target) REQUIRE n.name IS UNIQUE",
          "CREATE INDEX lease_state IF NOT EXISTS FOR (n:Lease) ON (n.state, n.expiresAt)",
          "CREATE INDEX lease_username IF NOT EXISTS FOR (n:Lease) ON (n.username)");

  /** Most rows one exchange-step transaction takes: a batch of 64 rows stays small (KBs). */
  private static final int MAX_BATCH = 64;

  /**
   * Consumes each row's {@code jti} and writes its lease as issuing with its decision. The
   * uniqueness constraint on {@code UsedJti} fails the whole statement if any {@code jti} was used.
   */
  private static final String BEGIN_ISSUING =
      "UNWIND $rows AS row\n"
          + "CREATE (:UsedJti {key: row.jti, expiresAt: row.jtiExpiry})\n"
          + "WITH row\n"
          + JobNodes.MERGE
          + """
          MERGE (t:Target {name: row.target})
          CREATE (j)-[:HOLDS]->(l:Lease)-[:ON]->(t) SET l = row.lease,
            l.policySha256 = row.decision.policySha256, l.policyVersion = row.decision.policyVersion
          CREATE (d:Decision)-[:ABOUT]->(j) SET d = row.decision
          CREATE (d)-[:ISSUED]->(l)
          """;

  private static final String ACTIVATE =
      """
      UNWIND $ids AS id
      MATCH (l:Lease {id: id})
      SET l._lock = true REMOVE l._lock
      WITH l WHERE l.state IN $from
      SET l.state = $to
      RETURN collect(l.id) AS moved
      """;

  private static final String MARK_FAILED =
      """
      MATCH (l:Lease {id: $id})
      SET l._lock = true REMOVE l._lock
      WITH l WHERE l.state IN $from
      SET l.state = $to, l.revokedAt = $now, l.revokeReason = $reason
      WITH l
      OPTIONAL MATCH (u:UsedJti {key: $jti})
      DELETE u
      """;

  static final String FIND =
      """
      MATCH (p:Project)-[:RAN]->(pl:Pipeline)-[:HAS]->(j:Job)-[:HOLDS]->(l:Lease)
      WHERE l.id = $id AND l.forgedAt IS NULL
      RETURN l, p, pl, j,\s"""
          + Forgeries.SEALED;

  private final StateStore store;
  private final LeaseSeal seal;
  private final Forgeries forgeries;
  private final Clock clock;
  // The exchange's two writes, each committed together with concurrent exchanges' (GroupCommit).
  private final GroupCommit<Map<String, Object>, Boolean> issuing =
      new GroupCommit<>(MAX_BATCH, this::issue, row -> tryIssue(row));
  private final GroupCommit<String, Boolean> activating =
      new GroupCommit<>(MAX_BATCH, this::activate, id -> activate(List.of(id)).get(0));

  @Inject
  public LeaseRepository(StateStore store, LeaseSeal seal, Forgeries forgeries, Clock clock) {
    this.store = store;
    this.seal = seal;
    this.forgeries = forgeries;
    this.clock = clock;
  }

  void createSchema(@Observes StartupEvent e) {
    store.createSchema(SCHEMA);
  }

  /**
   * Consumes the token's {@code jti} and writes the lease as issuing, sealed ({@link LeaseSeal}),
   * with its decision, in one transaction, before any user exists: a crash from here on leaves a
   * record to finish.
   *
   * @return false when the {@code jti} was already consumed (the uniqueness constraint decides, so
   *     two concurrent exchanges with one token never both get here)
   */
  public boolean beginIssuing(
      Lease lease, String jti, Instant tokenExpiry, Decisions.Record decision) {
    return issuing.submit(issuingRow(lease, jti, tokenExpiry, decision));
  }

  /**
   * {@link #beginIssuing} and {@link #markActive} for a lease that is never kept: both statements
   * run as an exchange sends them, in one transaction that is rolled back. A rehearsal: the state
   * store has planned them, and the broker has run their code, before the first job's exchange.
   */
  public void rehearseIssuing(
      Lease lease, String jti, Instant tokenExpiry, Decisions.Record decision) {
    Map<String, Object> row = issuingRow(lease, jti, tokenExpiry, decision);
    store.rolledBack(
        tx -> {
          tx.run(BEGIN_ISSUING, Map.of("rows", List.of(row))).consume();
          return tx.run(ACTIVATE, activation(List.of(lease.id()))).single();
        });
  }

  private Map<String, Object> issuingRow(
      Lease lease, String jti, Instant tokenExpiry, Decisions.Record decision) {
    Map<String, Object> row = JobNodes.row(lease.job());
    row.put("jti", UsedJtis.key(lease.job().instance(), jti));
    row.put("jtiExpiry", utc(tokenExpiry));
    Map<String, Object> properties = LeaseProperties.of(lease);
    properties.put("seal", seal.seal(LeaseSeal.Fields.of(lease)));
    row.put("lease", properties);
    row.put("target", lease.granted().target());
    row.put("decision", decision.properties());
    return row;
  }

  /** All rows in one transaction; a replayed {@code jti} fails it, and each row goes alone. */
  private List<Boolean> issue(List<Map<String, Object>> rows) {
    store.statement(BEGIN_ISSUING, Map.of("rows", rows));
    return Collections.nCopies(rows.size(), true);
  }

  private boolean tryIssue(Map<String, Object> row) {
    try {
      issue(List.of(row));
      return true;
    } catch (ClientException e) {
      if (StateStore.constraintViolated(e)) {
        return false;
      }
      throw e;
    }
  }

  /**
   * Moves an issuing lease to active once its user exists.
   *
   * @return false when the lease is no longer issuing: the sweeper took it for abandoned (older
   *     than {@code stuck-grace}) and is dropping, or has dropped, its user
   */
  public boolean markActive(String leaseId) {
    return activating.submit(leaseId);
  }

  private List<Boolean> activate(List<String> leaseIds) {
    List<String> moved =
        store.statement(
            ACTIVATE,
            activation(leaseIds),
            result -> result.single().get("moved").asList(Value::asString));
    return leaseIds.stream().map(moved::contains).toList();
  }

  private static Map<String, Object> activation(List<String> leaseIds) {
    List<String> from = LeaseState.requireMove(List.of(LeaseState.ISSUING), LeaseState.ACTIVE);
    return parameters("ids", leaseIds, "from", from, "to", LeaseState.ACTIVE.wire());
  }

  /**
   * Marks an issuing lease whose user could not be created as failed and gives the token back, so
   * that the job can retry: only a successful exchange consumes a {@code jti}.
   */
  public void markFailed(String leaseId, String instance, String jti, String reason) {
    List<String> from = LeaseState.requireMove(List.of(LeaseState.ISSUING), LeaseState.FAILED);
    store.statement(
        MARK_FAILED,
        parameters(
            "id",
            leaseId,
            "from",
            from,
            "to",
            LeaseState.FAILED.wire(),
            "now",
            utc(clock.instant()),
            "reason",
            reason,
            "jti",
            UsedJtis.key(instance, jti)));
  }

  /** The lease, if the broker wrote it: a forged one is reported ({@link Forgeries}), not found. */
  public Optional<Lease> find(String leaseId) {
    List<Record> rows = store.read(tx -> tx.run(FIND, Map.of("id", leaseId)).list());
    if (rows.isEmpty() || forgeries.genuine(rows.subList(0, 1)).isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(LeaseProperties.read(rows.get(0)));
  }

  /** Ids as a sorted list, so that transactions lock overlapping leases in one order. */
  static List<String> lockOrder(Collection<String> ids) {
    return ids.stream().distinct().sorted().toList();
  }
}
