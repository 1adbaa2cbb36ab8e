package io.neo4jaccess.gateway;

import io.neo4jaccess.lease.Lease;
import io.neo4jaccess.lease.LeaseLogins;
import io.neo4jaccess.lease.PooledLogins;
import io.neo4jaccess.lease.Secrets;
import io.neo4jaccess.neo4j.Neo4jTarget;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Gateway logins over the state store. The login names the lease's user, whose active and genuine
 * lease on the gateway's target gives the grant. Per job user, the gateway logs in upstream as that
 * user with the password presented: Neo4j itself checks it, so the broker never stores it, and a
 * wrong one fails the upstream login and the client's with it. On a pooled target no such user
 * exists: the presented password's SHA-256 must equal the lease's (compared in constant time), and
 * the gateway logs in upstream on the broker's pooled login for the grant's mode ({@link
 * PooledLogins}).
 */
@ApplicationScoped
public class StoredGatewayLeases implements GatewayLeases {

  private final LeaseLogins logins;
  private final PooledLogins pooled;

  @Inject
  public StoredGatewayLeases(LeaseLogins logins, PooledLogins pooled) {
    this.logins = logins;
    this.pooled = pooled;
  }

  @Override
  public Optional<GatewayGrant> authenticate(String target, String user, String password) {
    return logins
        .active(target, user)
        .flatMap(
            lease ->
                lease.granted().pooled()
                    ? pooledGrant(lease, password)
                    : grant(lease, new UpstreamLogin(user, password)));
  }

  /**
   * A pooled login refused: someone changed its password or dropped it, or another replica whose
   * clock runs ahead has set the next period's. The next login sets this replica's again.
   */
  @Override
  public void upstreamRefused(GatewayGrant grant) {
    if (grant.upstream().user().startsWith(Neo4jTarget.POOLED_LOGIN_PREFIX)) {
      pooled.forget(grant.target(), grant.upstream().user());
    }
  }

  /** The grant of a pooled lease whose password this is, on the pooled login of its mode. */
  private Optional<GatewayGrant> pooledGrant(Lease lease, String password) {
    byte[] stored;
    try {
      stored = HexFormat.of().parseHex(lease.granted().passwordSha256());
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    if (!MessageDigest.isEqual(Secrets.digest(password), stored)
        || access(lease.granted()) == null) {
      return Optional.empty();
    }
    PooledLogins.Login login = pooled.login(lease.granted().target(), lease.granted().access());
    return grant(lease, new UpstreamLogin(login.user(), login.password()));
  }

  /** The grant of a gateway lease; a lease with roles was not issued for a gateway and has none. */
  static Optional<GatewayGrant> grant(Lease lease, UpstreamLogin upstream) {
    Lease.Granted granted = lease.granted();
    Access access = access(granted);
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
            upstream,
            lease.job().project().path(),
            lease.job().pipeline().id(),
            lease.job().id()));
  }

  private static Access access(Lease.Granted granted) {
    return switch (granted.access()) {
      case READ -> Access.READ;
      case WRITE -> Access.WRITE;
      case FULL -> Access.FULL;
      case ROLES -> null;
    };
  }
}
