package io.neo4jaccess.gateway;

import java.util.Optional;

/**
 * The lease side of gateway logins: which active lease, if any, a user name and password belong to.
 * Implemented over the lease store.
 */
public interface GatewayLeases {

  /**
   * The grant of the <em>active</em> lease on {@code target} whose credentials these are; empty for
   * unknown users, wrong passwords, leases on another target and leases that are not active.
   * Implementations compare secrets in constant time.
   *
   * <p>May block (it reads a state store): the gateway calls it on a worker thread, never on an
   * event loop. An exception means the answer is unknown; the login then fails with a transient
   * error.
   */
  Optional<GatewayGrant> authenticate(String target, String user, String password);

  /**
   * The target refused the upstream login of a grant this answered. Called on an event loop: must
   * not block. A login the broker manages is then checked again before its next use.
   */
  default void upstreamRefused(GatewayGrant grant) {}
}
