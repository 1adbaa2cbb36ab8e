package io.neo4jaccess.gateway;

import io.neo4jaccess.gateway.bolt.QueryParameters;

/**
 * Decides, for every RUN (auto-commit or in a transaction), whether a statement may reach Neo4j
 * under a grant. The gateway has already pinned the database and, for READ grants, the access mode;
 * a guard refuses what those cannot (administration in write grants, dangerous procedures, file
 * loads).
 *
 * <p>Called on the connection's event-loop thread: it must not block on I/O (CPU work with a cache
 * is fine), unless {@link #slow} says the text may take long, when it is called on a worker thread
 * while the connection waits. Decode {@link QueryParameters#values()} only when the decision needs
 * them; if that throws, refuse. An exception from {@code check} refuses the statement.
 */
@FunctionalInterface
public interface StatementGuard {

  /** Allows every statement: the server's own checks of mode and database are all that apply. */
  StatementGuard ALLOW_ALL = (query, parameters, grant) -> GuardVerdict.allowed();

  GuardVerdict check(String query, QueryParameters parameters, GatewayGrant grant);

  /**
   * Whether checking this text may take long enough to stall the other connections of an event loop
   * (milliseconds); the gateway then checks it on a worker thread. By default, never.
   */
  default boolean slow(String query) {
    return false;
  }
}
