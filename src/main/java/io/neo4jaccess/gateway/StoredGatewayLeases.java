package io.neo4jaccess.gateway;

import io.neo4jaccess.lease.Lease;
import io.neo4jaccess.lease.LeaseLogins;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;

/**
 * Gateway logins over the state store, in per-job-user mode: the login names the job's own Neo4j
 * user, whose active and genuine lease on the gateway's target gives the grant, and the gateway
 * logs in upstream as that user with the password presented. Neo4j itself checks the password, so
 * the broker never stores it; a wrong one fails the upstream login, and the client's with it.
 */
@ApplicationScoped
public class StoredGatewayLeases implements GatewayLeases {

  private final LeaseLogins logins;

  @Inject
  public StoredGatewayLeases(LeaseLogins logins) {
    this.logins = logins;
  }

  @Override
  public Optional<GatewayGrant> authenticate(String target, String user, String password) {
    return logins.active(target, user).flatMap(lease -> grant(lease, password));
  }

  /** The grant of a gateway lease; a lease with roles was not issued for a gateway and has none. */
  static Optional<GatewayGrant> grant(Lease lease, String password) {
    Lease.Granted granted = lease.granted();
    Access access =
        switch (granted.access()) {
          case READ -> Access.READ;
          case WRITE -> Access.WRITE;
          case FULL -> Access.FULL;
          case ROLES -> null;
        };
    if (access == null) {
      return Optional.empty();
    }
    return Optional.of(
        new GatewayGrant(
            lease.id(),
            granted.target(),
            granted.database(),
            access,
            granted.schema(),
            granted.remoteCsv(),
            new UpstreamLogin(granted.username(), password),
            lease.job().project().path(),
            lease.job().pipeline().id(),
            lease.job().id()));
  }
}
