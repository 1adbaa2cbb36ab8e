package io.neo4jaccess.lease;

import static io.neo4jaccess.state.StateStore.parameters;
import static io.neo4jaccess.state.StateStore.utc;

import io.neo4jaccess.gitlab.CiJob;
import io.neo4jaccess.state.StateStore;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Policy decisions in the state graph, {@code (:Decision)-[:ABOUT]->(:Job)}: every allow (written
 * with its lease, see {@link LeaseRepository#beginIssuing}) and every deny, with the trace that
 * explains it. Never a secret.
 */
@ApplicationScoped
public class Decisions {

  private static final List<String> SCHEMA =
      List.of(
          "CREATE CONSTRAINT decision_id IF NOT EXISTS FOR (n:Decision) REQUIRE n.id IS UNIQUE");

  private static final String RECORD_DENIAL =
      "WITH $row AS row\n"
          + JobNodes.MERGE
          + """
          CREATE (d:Decision)-[:ABOUT]->(j) SET d = row.decision
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

  @Inject
  public Decisions(StateStore store) {
    this.store = store;
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

  /** Records a decision that issued nothing (a denial), linked to the job. */
  public void recordDenial(CiJob job, Record decision) {
    Map<String, Object> row = JobNodes.row(job);
    row.put("decision", decision.properties());
    store.statement(RECORD_DENIAL, Map.of("row", row));
  }
}
