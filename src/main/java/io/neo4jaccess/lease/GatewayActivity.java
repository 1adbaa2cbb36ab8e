package io.neo4jaccess.lease;

import java.time.Instant;
import java.util.List;

/**
 * What a lease did through the broker's Bolt gateway, as the state graph records it: never a query
 * text or parameter, a refused query only by the SHA-256 of its text.
 *
 * @param connections logins that opened a connection as the lease
 * @param transactions explicit transactions begun
 * @param queries queries forwarded to Neo4j, in explicit and auto-commit transactions
 * @param refused requests the gateway refused
 * @param refusals the refusals by rule and query, most frequent first
 */
public record GatewayActivity(
    long connections, long transactions, long queries, long refused, List<Refused> refusals) {

  /** Nothing yet. */
  public static final GatewayActivity NONE = new GatewayActivity(0, 0, 0, 0, List.of());

  public GatewayActivity {
    refusals = List.copyOf(refusals);
  }

  /**
   * One kind of refusal.
   *
   * @param rule the stable code of the rule broken, e.g. {@code administration}
   * @param queryHash lower-case hex SHA-256 of the refused query's UTF-8 text; empty for a request
   *     that carried no query (a BEGIN naming another database)
   * @param count how often
   * @param lastAt the latest
   */
  public record Refused(String rule, String queryHash, long count, Instant lastAt) {}

  /**
   * What one broker counted for a lease since its last write, added to the record by {@link
   * ActivityRecords#add}.
   */
  public record Delta(
      String leaseId,
      long connections,
      long transactions,
      long queries,
      long refused,
      List<Refused> refusals) {}
}
