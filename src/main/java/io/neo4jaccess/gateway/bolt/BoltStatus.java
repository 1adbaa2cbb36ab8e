package io.neo4jaccess.gateway.bolt;

/**
 * The Neo4j status codes the gateway answers with itself, each with the GQLSTATUS that Bolt 5.7+
 * carries next to it. Drivers classify by the Neo4j code: a client error is not retried, a
 * transient one is.
 */
public enum BoltStatus {
  /** Credentials that name no active lease, or a lease that ended. */
  UNAUTHORIZED("Neo.ClientError.Security.Unauthorized", "42NFF"),
  /** Outside the grant: another database, impersonation, a statement a guard refused. */
  FORBIDDEN("Neo.ClientError.Security.Forbidden", "42NFF"),
  /** A message the gateway cannot accept in this state or shape. */
  INVALID("Neo.ClientError.Request.Invalid", "08N06"),
  /** The lease already has as many connections as it may. */
  EXHAUSTED("Neo.TransientError.Request.ResourceExhaustion", "50N42"),
  /** Leases could not be checked (their store is down) or the target could not be reached. */
  UNAVAILABLE("Neo.TransientError.General.DatabaseUnavailable", "08N00");

  private final String code;
  private final String gqlStatus;

  BoltStatus(String code, String gqlStatus) {
    this.code = code;
    this.gqlStatus = gqlStatus;
  }

  public String code() {
    return code;
  }

  public String gqlStatus() {
    return gqlStatus;
  }
}
