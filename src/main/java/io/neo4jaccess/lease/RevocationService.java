package io.neo4jaccess.lease;

import io.neo4jaccess.target.Neo4jTarget;
import io.neo4jaccess.target.Targets;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

/**
 * Revokes leases. A lease is claimed by moving it to {@code revoking} in the state store first:
 * only the replica whose state change succeeded goes on, so each lease is revoked exactly once.
 */
@ApplicationScoped
public class RevocationService {

  private static final Logger LOG = Logger.getLogger(RevocationService.class);

  private final LeaseStore store;
  private final Targets targets;

  @Inject
  public RevocationService(LeaseStore store, Targets targets) {
    this.store = store;
    this.targets = targets;
  }

  /**
   * Revokes an active lease now.
   *
   * @return false when the lease was not active (already revoked, or another replica has it)
   */
  public boolean revoke(Lease lease, String reason) {
    if (!store.setState(lease.id(), "active", "revoking", reason)) {
      return false;
    }
    Neo4jTarget target = targets.get(lease.target()).orElseThrow();
    try {
      target.revokeUser(lease.username());
      store.setState(lease.id(), "revoking", "revoked", reason);
      LOG.infof("lease revoked: lease=%s reason=%s user=%s", lease.id(), reason, lease.username());
    } catch (RuntimeException e) {
      LOG.warnf(e, "revocation failed, will retry: lease=%s target=%s", lease.id(), lease.target());
      store.setState(lease.id(), "revoking", "revoke_failed", reason);
    }
    return true;
  }
}
