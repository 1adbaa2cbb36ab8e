package io.neo4jaccess.gateway;

import io.neo4jaccess.lease.LeaseConnections;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Collection;
import org.jboss.logging.Logger;

/**
 * The gateway's side of a revocation: every connection of the leases on this broker is closed at
 * once, client and upstream, before their users are dropped, and what the leases did is written to
 * the state graph.
 */
@ApplicationScoped
public class GatewayRevocations implements LeaseConnections {

  private static final Logger LOG = Logger.getLogger(GatewayRevocations.class);

  private final GatewayConnections connections;
  private final StateGraphAudit audit;

  @Inject
  public GatewayRevocations(GatewayConnections connections, StateGraphAudit audit) {
    this.connections = connections;
    this.audit = audit;
  }

  @Override
  public void close(Collection<String> leaseIds) {
    for (String id : leaseIds) {
      int closed = connections.closeLease(id);
      if (closed > 0) {
        LOG.infof("gateway connections closed: lease=%s connections=%d", id, closed);
      }
    }
    audit.flush(leaseIds);
  }
}
