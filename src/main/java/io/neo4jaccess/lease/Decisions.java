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
   */
  public record Record(
      String id, Instant at, boolean allowed, String code, String rule, String traceJson) {

    Map<String, Object> properties() {
      return parameters(
          "id", id,
          "at", utc(at),
          "outcome", allowed ? "allowed" : "denied",
          "code", code,
          "rule", rule,
          "trace", traceJson);
    }
  }

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
