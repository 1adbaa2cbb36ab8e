package io.neo4jaccess.gateway;

/**
 * What the gateway records about each lease's traffic. Never given query text or parameters: a
 * refused query is named by the SHA-256 of its text.
 *
 * <p>Called on event-loop threads: implementations must not block (count in memory, persist in the
 * background).
 */
public interface GatewayAudit {

  /** A connection authenticated as the lease (a login, or a new LOGON after LOGOFF). */
  void connectionOpened(GatewayGrant grant, String connectionId);

  /** A connection of the lease ended (closed by either side, revoked, or logged off). */
  void connectionClosed(GatewayGrant grant, String connectionId);

  /** An explicit transaction was begun (BEGIN forwarded). */
  void transactionBegun(GatewayGrant grant);

  /** A query was forwarded, in an explicit transaction or as an auto-commit transaction. */
  void queryRun(GatewayGrant grant, boolean autoCommit);

  /**
   * A query was refused before it reached Neo4j.
   *
   * @param rule the stable code of the rule it broke
   * @param queryHash lower-case hex SHA-256 of the query's UTF-8 text
   */
  void queryRefused(GatewayGrant grant, String rule, String queryHash);

  /**
   * A request that carries no query was refused: a BEGIN or ROUTE naming another database or a user
   * to impersonate.
   */
  void requestRefused(GatewayGrant grant, String rule);
}
