package io.neo4jaccess.lease;

import java.util.Collection;

/**
 * The connections leases hold through this broker (its Bolt gateway), which a revocation cuts
 * before it drops the leases' users: a job must not be able to run one more query through the
 * broker once its lease is being revoked, whatever the trigger. Connections another replica holds
 * end when the user's connections are killed on the server, or when that replica next finds the
 * lease no longer active (the only way for a pooled lease, which has no user of its own).
 */
public interface LeaseConnections {

  /**
   * Closes every connection of these leases on this broker at once and refuses their logins from
   * now on. Does not block on I/O and does not throw.
   */
  void close(Collection<String> leaseIds);
}
