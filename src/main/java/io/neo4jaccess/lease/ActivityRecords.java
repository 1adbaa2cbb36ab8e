package io.neo4jaccess.lease;

import static io.neo4jaccess.state.StateStore.instant;
import static io.neo4jaccess.state.StateStore.parameters;
import static io.neo4jaccess.state.StateStore.utc;

import io.neo4jaccess.state.StateStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.neo4j.driver.Record;
import org.neo4j.driver.Value;

/**
 * Gateway activity in the state graph: counters on each {@code (:Lease)} and {@code
 * (:Lease)-[:REFUSED]->(:GatewayRefusal {rule, queryHash, count, lastAt})} for each kind of
 * refusal. Every replica adds what it counted, so the record is the sum over replicas.
 */
@ApplicationScoped
public class ActivityRecords {

  private static final String ADD =
      """
      UNWIND $rows AS row
      MATCH (l:Lease {id: row.lease})
      SET l.gatewayConnections = coalesce(l.gatewayConnections, 0) + row.connections,
          l.gatewayTransactions = coalesce(l.gatewayTransactions, 0) + row.transactions,
          l.gatewayQueries = coalesce(l.gatewayQueries, 0) + row.queries,
          l.gatewayRefused = coalesce(l.gatewayRefused, 0) + row.refused
      WITH l, row
      UNWIND row.refusals AS r
      MERGE (l)-[:REFUSED]->(x:GatewayRefusal {rule: r.rule, queryHash: r.queryHash})
      SET x.count = coalesce(x.count, 0) + r.count,
          x.lastAt = CASE WHEN x.lastAt > r.lastAt THEN x.lastAt ELSE r.lastAt END
      """;

  private static final String READ =
      """
      MATCH (l:Lease {id: $id})
      RETURN l.gatewayConnections AS connections, l.gatewayTransactions AS transactions,
             l.gatewayQueries AS queries, l.gatewayRefused AS refused,
             COLLECT { MATCH (l)-[:REFUSED]->(x:GatewayRefusal)
                       RETURN x ORDER BY x.count DESC, x.lastAt DESC LIMIT $shown } AS refusals
      """;

  /** Kinds of refusal a summary lists; the counters cover all. */
  private static final int SHOWN = 50;

  private final StateStore store;

  @Inject
  public ActivityRecords(StateStore store) {
    this.store = store;
  }

  /** Adds what was counted, in one transaction. */
  public void add(Collection<GatewayActivity.Delta> deltas) {
    if (deltas.isEmpty()) {
      return;
    }
    List<Map<String, Object>> rows =
        deltas.stream()
            .map(
                d ->
                    parameters(
                        "lease", d.leaseId(),
                        "connections", d.connections(),
                        "transactions", d.transactions(),
                        "queries", d.queries(),
                        "refused", d.refused(),
                        "refusals",
                            d.refusals().stream()
                                .map(
                                    r ->
                                        parameters(
                                            "rule", r.rule(),
                                            "queryHash", r.queryHash(),
                                            "count", r.count(),
                                            "lastAt", utc(r.lastAt())))
                                .toList()))
            .toList();
    store.statement(ADD, Map.of("rows", rows));
  }

  /** What the lease did through the gateway, as recorded so far. */
  public GatewayActivity of(String leaseId) {
    List<Record> rows =
        store.read(tx -> tx.run(READ, parameters("id", leaseId, "shown", SHOWN)).list());
    if (rows.isEmpty()) {
      return GatewayActivity.NONE;
    }
    Record r = rows.get(0);
    return new GatewayActivity(
        r.get("connections").asLong(0),
        r.get("transactions").asLong(0),
        r.get("queries").asLong(0),
        r.get("refused").asLong(0),
        r.get("refusals").asList(ActivityRecords::refused));
  }

  private static GatewayActivity.Refused refused(Value x) {
    return new GatewayActivity.Refused(
        x.get("rule").asString(),
        x.get("queryHash").asString(),
        x.get("count").asLong(),
        instant(x.get("lastAt")));
  }
}
