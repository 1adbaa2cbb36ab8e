package io.neo4jaccess.lease;

import static io.neo4jaccess.state.StateStore.parameters;
import static io.neo4jaccess.state.StateStore.utc;

import io.micrometer.core.instrument.MeterRegistry;
import io.neo4jaccess.neo4j.Targets;
import io.neo4jaccess.state.StateStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;
import org.neo4j.driver.Record;
import org.neo4j.driver.Transaction;
import org.neo4j.driver.Value;
import org.neo4j.driver.types.TypeSystem;

/**
 * Leases the broker did not write, caught before it acts on them. Every path that acts on a lease
 * (a claim for revocation, a webhook's request, reconciliation, self-revoke, the orphan check) asks
 * here first. A lease whose seal ({@link LeaseSeal}) does not verify is stamped {@code forgedAt},
 * reported once (a warning naming only its id; metric {@code broker.leases.forged{target}}) and
 * otherwise left as it is: never moved, never revoked, owning no user. The stamp keeps it out of
 * every later search, so that forged leases cannot crowd genuine ones out of the sweeper's batches;
 * stamping a genuine lease gains nothing, as it then owns no user and that user, which carries the
 * prefix, is dropped as an orphan.
 */
@ApplicationScoped
public class Forgeries {

  private static final Logger LOG = Logger.getLogger(Forgeries.class);
  private static final Pattern PRINTABLE_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

  /**
   * What a verification needs of lease {@code l}: its sealed properties, and the instance, project
   * and job of each job holding it, as the graph links them (a pipeline linked from two projects
   * gives two).
   */
  static final String SEALED =
      "elementId(l) AS ref, l {.id, .seal, .target, .username, .issuedAt, .expiresAt, .database,"
          + " .access, .schema, .remoteCsv, .upstream, .passwordSha256} AS sealed,"
          + " COLLECT { MATCH (p:Project)-[:RAN]->(:Pipeline)-[:HAS]->(j:Job)-[:HOLDS]->(l)"
          + " RETURN DISTINCT [p.instance, p.id, j.id] } AS holders";

  /** Locks the leases that are in one of {@code from}, and reads what their seals cover. */
  private static final String LOCK =
      """
      UNWIND $ids AS id
      MATCH (l:Lease {id: id})
      SET l._lock = true REMOVE l._lock
      WITH l WHERE l.state IN $from AND l.forgedAt IS NULL
      RETURN\s"""
          + SEALED;

  private static final String STAMP =
      """
      UNWIND $refs AS ref
      MATCH (l:Lease) WHERE elementId(l) = ref AND l.forgedAt IS NULL
      SET l.forgedAt = $now
      RETURN l.id AS id, l.target AS target
      """;

  private final StateStore store;
  private final LeaseSeal seal;
  private final Targets targets;
  private final MeterRegistry metrics;
  private final Clock clock;

  @Inject
  public Forgeries(
      StateStore store, LeaseSeal seal, Targets targets, MeterRegistry metrics, Clock clock) {
    this.store = store;
    this.seal = seal;
    this.targets = targets;
    this.metrics = metrics;
    this.clock = clock;
  }

  /**
   * Locks, in the caller's transaction, the leases among {@code leaseIds} that are in one of {@code
   * from}, and verifies their seals. Forged ones are stamped and reported.
   *
   * @return the genuine ones, still locked, which the caller may now act on: nobody can alter them
   *     before its transaction ends
   */
  List<LeaseSeal.Fields> vet(
      Transaction tx, Collection<String> leaseIds, Collection<LeaseState> from) {
    if (leaseIds.isEmpty()) {
      return List.of();
    }
    Checked checked =
        check(
            tx.run(
                    LOCK,
                    parameters(
                        "ids", LeaseRepository.lockOrder(leaseIds), "from", LeaseState.wire(from)))
                .list());
    report(tx, checked.forged());
    return checked.genuine();
  }

  /**
   * The genuine leases among rows read (without locks) with {@link #SEALED}; the forged ones are
   * stamped and reported in a transaction of their own.
   */
  List<LeaseSeal.Fields> genuine(List<Record> rows) {
    Checked checked = check(rows);
    if (!checked.forged().isEmpty()) {
      store.write(
          tx -> {
            report(tx, checked.forged());
            return null;
          });
    }
    return checked.genuine();
  }

  /**
   * Rows carrying {@link #SEALED}, told apart by their seals.
   *
   * @param genuine what the seals of the genuine rows cover
   * @param forged the forged rows' leases, for {@link #report}
   */
  private record Checked(List<LeaseSeal.Fields> genuine, List<String> forged) {}

  private Checked check(List<Record> rows) {
    List<LeaseSeal.Fields> genuine = new ArrayList<>(rows.size());
    List<String> forged = new ArrayList<>();
    for (Record r : rows) {
      String sealed = text(r.get("sealed").get("seal"));
      fields(r).stream()
          .filter(fields -> seal.genuine(fields, sealed))
          .findFirst()
          .ifPresentOrElse(genuine::add, () -> forged.add(r.get("ref").asString()));
    }
    return new Checked(genuine, forged);
  }

  /**
   * Stamps forged leases in {@code tx} and reports each that was not stamped before: the log and
   * the metric count a forged lease once, however many paths come across it.
   */
  private void report(Transaction tx, List<String> forged) {
    if (forged.isEmpty()) {
      return;
    }
    List<Record> stamped =
        tx.run(STAMP, parameters("refs", forged, "now", utc(clock.instant()))).list();
    for (Record r : stamped) {
      // Both come from whoever wrote the lease: the id is logged only when it is plainly one, and
      // the metric's tag is a configured target or "unknown", never a string of theirs.
      String id = text(r.get("id"));
      String target = text(r.get("target"));
      String tag = target != null && targets.get(target).isPresent() ? target : "unknown";
      String shown = id != null && PRINTABLE_ID.matcher(id).matches() ? id : "(malformed id)";
      // Once the stamp is kept: a transaction Neo4j rolls back and the store runs again reports it
      // once, and one that fails reports nothing.
      store.afterCommit(
          () -> {
            metrics.counter("broker.leases.forged", "target", tag).increment();
            LOG.warnf("forged or altered lease left alone: lease=%s", shown);
          });
    }
  }

  /**
   * What the seal of a row carrying {@link #SEALED} covers, once for each job holding the lease (a
   * field of the wrong type is null). The seal names one; a lease a writer of the store linked to
   * further jobs is still the broker's, and all such a link can do is end it early, as any change
   * of its state could.
   */
  static List<LeaseSeal.Fields> fields(Record r) {
    Value l = r.get("sealed");
    return r.get("holders").asList(Value::asObject).stream()
        .map(holder -> (List<?>) holder)
        .map(
            holder ->
                new LeaseSeal.Fields(
                    text(l.get("id")),
                    typed(holder.get(0), String.class),
                    typed(holder.get(1), Long.class),
                    typed(holder.get(2), Long.class),
                    text(l.get("target")),
                    text(l.get("username")),
                    time(l.get("issuedAt")),
                    time(l.get("expiresAt")),
                    scope(l),
                    upstream(l)))
        .toList();
  }

  /**
   * The sealed scope as {@link Lease.Granted#scope()} writes it, or null for a lease issued before
   * scopes were sealed (no {@code access}). A field of the wrong type gives a scope no seal covers.
   */
  private static String scope(Value l) {
    if (l.get("access").isNull()) {
      return null;
    }
    return text(l.get("database"))
        + "|"
        + text(l.get("access"))
        + "|"
        + flag(l.get("schema"))
        + "|"
        + flag(l.get("remoteCsv"));
  }

  /**
   * The sealed upstream as {@link Lease.Granted#upstream()} writes it, or null for a lease with a
   * user of its own (no {@code upstream}). Any stored upstream is covered, so that marking a lease
   * pooled, or changing its hash, breaks its seal.
   */
  private static String upstream(Value l) {
    if (l.get("upstream").isNull()) {
      return null;
    }
    return text(l.get("upstream")) + ":" + text(l.get("passwordSha256"));
  }

  private static String flag(Value v) {
    return v.hasType(TypeSystem.getDefault().BOOLEAN()) ? Boolean.toString(v.asBoolean()) : "?";
  }

  private static String text(Value v) {
    return v.hasType(TypeSystem.getDefault().STRING()) ? v.asString() : null;
  }

  private static Instant time(Value v) {
    return v.hasType(TypeSystem.getDefault().DATE_TIME()) ? v.asZonedDateTime().toInstant() : null;
  }

  private static <T> T typed(Object value, Class<T> type) {
    return type.isInstance(value) ? type.cast(value) : null;
  }
}
