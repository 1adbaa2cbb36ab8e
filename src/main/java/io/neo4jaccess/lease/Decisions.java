package io.neo4jaccess.lease;

import static io.neo4jaccess.state.StateStore.parameters;
import static io.neo4jaccess.state.StateStore.utc;

import io.neo4jaccess.gitlab.CiJob;
import io.neo4jaccess.state.Expiring;
import io.neo4jaccess.state.StateStore;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.neo4j.driver.exceptions.ClientException;

/**
 * Policy decisions in the state graph, {@code (:Decision)-[:ABOUT]->(:Job)}: every allow (written
 * with its lease, see {@link LeaseRepository#beginIssuing}) and every deny, with the trace that
 * explains it. Never a secret.
 *
 * <p>A denial consumes no token, so one token may be denied again and again: each is recorded once
 * per token and outcome, keyed by its {@code jti}, and a replay writes nothing. Decisions are
 * deleted after {@code broker.lease.decision-retention}, except those of leases still live.
 */
@ApplicationScoped
public class Decisions implements Expiring {

  private static final List<String> SCHEMA =
      List.of(
          "CREATE CONSTRAINT decision_id IF NOT EXISTS FOR (n:Decision) REQUIRE n.id IS UNIQUE",
          "CREATE CONSTRAINT decision_token IF NOT EXISTS"
              + " FOR (n:Decision) REQUIRE n.token IS UNIQUE",
          "CREATE INDEX decision_at IF NOT EXISTS FOR (n:Decision) ON (n.at)");

  /** Writes nothing when the token's denial with this outcome is already recorded. */
  private static final String RECORD_DENIAL =
      """
      OPTIONAL MATCH (seen:Decision {token: $row.token})
      WITH seen WHERE seen IS NULL
      WITH $row AS row
      """
          + JobNodes.MERGE
          + """
          MERGE (d:Decision {token: row.token}) ON CREATE SET d += row.decision
          MERGE (d)-[:ABOUT]->(j)
          """;

  private static final String PRUNE =
      """
      MATCH (d:Decision) WHERE d.at < $cutoff
        AND NOT EXISTS { (d)-[:ISSUED]->(l:Lease) WHERE l.state IN $live }
      WITH d LIMIT $n
      DETACH DELETE d RETURN count(*) AS deleted
      """;

  /**
   * What is recorded of one decision.
   *
   * @param code the refusal's error code, or null when allowed
   * @param rule the matching rule, or for a denial the closest one
   * @param traceJson the decision trace as JSON
   * @param policy the policy that decided, and on what
   */
  public record Record(
      String id,
      Instant at,
      boolean allowed,
      String code,
      String rule,
      String traceJson,
      Policy policy) {

    Map<String, Object> properties() {
      return parameters(
          "id",
          id,
          "at",
          utc(at),
          "outcome",
          allowed ? "allowed" : "denied",
          "code",
          code,
          "rule",
          rule,
          "trace",
          traceJson,
          "policySha256",
          policy.sha256(),
          "policyVersion",
          policy.declared(),
          "evidence",
          policy.evidenceJson());
    }
  }

  /**
   * The policy a decision was made by, and what it was made on.
   *
   * @param sha256 the SHA-256 of the policy's text
   * @param declared the version the policy declares, or null
   * @param evidenceJson the claims and GitLab facts the decision read, as JSON (no secret)
   */
  public record Policy(String sha256, String declared, String evidenceJson) {}

  /**
   * The newest decisions since a time, each with its job: the order and the index on {@code at} let
   * Neo4j stop after {@code n}.
   */
  private static final String SINCE =
      """
      MATCH (d:Decision) WHERE d.at >= $from
      WITH d ORDER BY d.at DESC LIMIT $n
      MATCH (d)-[:ABOUT]->(j:Job)<-[:HAS]-(pl:Pipeline)<-[:RAN]-(p:Project)
      RETURN d.at AS at, p, pl, j, d.policySha256 AS policy, d.evidence AS evidence
      ORDER BY at DESC
      """;

  /**
   * A recorded decision with its job, as what-if reads it.
   *
   * @param policySha256 the policy that made it; null when recorded before versions were
   * @param evidenceJson what it was made on; null when recorded before evidence was
   */
  public record Recorded(Instant at, CiJob job, String policySha256, String evidenceJson) {}

  private final StateStore store;
  private final Duration retention;

  @Inject
  public Decisions(StateStore store, LeaseConfig config) {
    this.store = store;
    this.retention = config.decisionRetention();
  }

  void createSchema(@Observes StartupEvent e) {
    store.createSchema(SCHEMA);
  }

  /** The decision trace (JSON) of the decision that issued a lease. */
  public Optional<String> traceOf(String leaseId) {
    return store.read(
        tx ->
            tx
                .run(
                    "MATCH (d:Decision)-[:ISSUED]->(:Lease {id: $id}) RETURN d.trace AS trace",
                    Map.of("id", leaseId))
                .stream()
                .findFirst()
                .map(r -> r.get("trace").asString(null)));
  }

  /** The newest {@code limit} decisions made since {@code from}, newest first. */
  public List<Recorded> since(Instant from, int limit) {
    return store.read(
        tx -> tx.run(SINCE, parameters("from", utc(from), "n", limit)).list(Decisions::recorded));
  }

  private static Recorded recorded(org.neo4j.driver.Record r) {
    return new Recorded(
        StateStore.instant(r.get("at")),
        JobNodes.read(r),
        r.get("policy").asString(null),
        r.get("evidence").asString(null));
  }

  /**
   * Records a decision that issued nothing (a denial), linked to the job, unless this token's
   * denial with the same outcome is recorded already.
   */
  public void recordDenial(CiJob job, String jti, Record decision) {
    Map<String, Object> row = JobNodes.row(job);
    row.put("token", UsedJtis.key(job.instance(), jti) + "|" + decision.code());
    row.put("decision", decision.properties());
    try {
      store.statement(RECORD_DENIAL, Map.of("row", row));
    } catch (ClientException e) {
      if (!StateStore.constraintViolated(e)) {
        throw e;
      }
      // a concurrent replay of the same token recorded it first
    }
  }

  @Override
  public String name() {
    return "decisions";
  }

  @Override
  public long pruneExpired(Instant now, int limit) {
    return store.statement(
        PRUNE,
        parameters(
            "cutoff",
            utc(now.minus(retention)),
            "live",
            LeaseState.wire(LeaseState.LIVE),
            "n",
            limit),
        result -> result.single().get("deleted").asLong());
  }
}
