package io.neo4jaccess.exchange;

import io.neo4jaccess.lease.Lease;

/**
 * What a successful exchange hands back; the password exists only here and in the reply.
 *
 * @param clientUri the Bolt URI the job connects to
 */
public record Issued(Lease lease, String password, String clientUri) {

  @Override
  public String toString() {
    return "Issued[lease=" + lease.id() + "]";
  }
}
