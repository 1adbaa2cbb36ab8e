package io.neo4jaccess.gateway;

import io.vertx.core.Context;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The lease side as a map a test changes: a grant is active from {@link #add} until {@link
 * #withdraw}. It is the gateway's port, not the class under test. Like a real lease store it may
 * block, so it refuses to be called on an event loop: every login through the gateway checks that.
 */
final class FixedGatewayLeases implements GatewayLeases {

  private final Map<String, GatewayGrant> byUser = new ConcurrentHashMap<>();
  private volatile boolean down;

  void add(GatewayGrant grant) {
    byUser.put(grant.upstream().user(), grant);
  }

  void withdraw(String leaseId) {
    byUser.values().removeIf(g -> g.leaseId().equals(leaseId));
  }

  /** Makes every check fail, as an unreachable lease store would. */
  void down(boolean down) {
    this.down = down;
  }

  @Override
  public Optional<GatewayGrant> authenticate(String target, String user, String password) {
    if (Context.isOnEventLoopThread()) {
      throw new IllegalStateException("lease checks block: not on an event loop");
    }
    if (down) {
      throw new IllegalStateException("lease store unreachable");
    }
    GatewayGrant grant = byUser.get(user);
    if (grant == null
        || !grant.target().equals(target)
        || !MessageDigest.isEqual(sha256(grant.upstream().password()), sha256(password))) {
      return Optional.empty();
    }
    return Optional.of(grant);
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
