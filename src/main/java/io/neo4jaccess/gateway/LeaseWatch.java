package io.neo4jaccess.gateway;

import io.neo4jaccess.lease.LeaseLogins;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Closes this replica's gateway connections of leases that are no longer active, every {@code
 * broker.gateway.lease-check-interval}: a lease revoked by another replica (a Job Hook that reached
 * it), expired, or found forged. One query per check, and none while no lease has a connection.
 */
@ApplicationScoped
public class LeaseWatch {

  private static final Logger LOG = Logger.getLogger(LeaseWatch.class);

  private final LeaseLogins logins;
  private final GatewayConnections connections;
  private final GatewayConfig config;
  private final ScheduledExecutorService checker = Background.thread("gateway-lease-watch");

  @Inject
  public LeaseWatch(LeaseLogins logins, GatewayConnections connections, GatewayConfig config) {
    this.logins = logins;
    this.connections = connections;
    this.config = config;
  }

  void start(@Observes StartupEvent event) {
    long every = config.leaseCheckInterval().toMillis();
    checker.scheduleWithFixedDelay(this::check, every, every, TimeUnit.MILLISECONDS);
  }

  void stop(@Observes ShutdownEvent event) {
    checker.shutdownNow();
  }

  private void check() {
    Set<String> held = connections.leases();
    if (held.isEmpty()) {
      return;
    }
    try {
      for (String lease : logins.ended(held)) {
        int closed = connections.closeLease(lease);
        if (closed > 0) {
          LOG.infof(
              "gateway connections of an ended lease closed: lease=%s connections=%d",
              lease, closed);
        }
      }
    } catch (RuntimeException e) {
      // The state store is down: connections stay as they are until it answers again.
      LOG.debugf("gateway lease check failed: cause=%s", e.getClass().getName());
    }
  }
}
