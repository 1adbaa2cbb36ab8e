package io.neo4jaccess.lease;

import io.neo4jaccess.neo4j.Neo4jTarget;
import io.neo4jaccess.neo4j.Targets;
import io.neo4jaccess.policy.Access;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * The Neo4j logins on which a pooled gateway target runs its jobs' sessions: one per target and
 * access mode ({@code neo4j_access_pool_read}, {@code _write}, {@code _full}), created at start if
 * missing. Nobody configures their passwords: each rotation period's is {@code HMAC-SHA256(first
 * lease key, "pooled|" + target + "|" + mode + "|" + period)}, with {@code period = floor(now /
 * pooled-password-rotation)}, so that every replica computes the same password without it being
 * stored anywhere. The first time a replica needs a period's password it sets it on the server
 * (idempotent: the replica that comes second finds it set); open connections keep working across
 * the change. Replicas whose clocks differ by δ disagree on the password for δ after each change,
 * so their clocks must be synchronised (NTP) and share the first lease key.
 */
@ApplicationScoped
public class PooledLogins {

  private static final Logger LOG = Logger.getLogger(PooledLogins.class);
  private static final List<Access> MODES = List.of(Access.READ, Access.WRITE, Access.FULL);

  /** Shorter periods would set passwords more often than logins need them. */
  private static final Duration SHORTEST_ROTATION = Duration.ofMinutes(1);

  private final Targets targets;
  private final LeaseSeal seal;
  private final Clock clock;

  /** The period whose password this replica has set, by target and mode. */
  private final Map<String, Long> set = new ConcurrentHashMap<>();

  /** A pooled login and its current password; {@code toString} hides the password. */
  public record Login(String user, String password) {
    @Override
    public String toString() {
      return "Login[user=" + user + ", password=<hidden>]";
    }
  }

  @Inject
  public PooledLogins(Targets targets, LeaseSeal seal, Clock clock) {
    this.targets = targets;
    this.seal = seal;
    this.clock = clock;
  }

  /** Every pooled target's logins exist, with this period's password, before the broker is up. */
  void start(@Observes StartupEvent event) {
    for (Neo4jTarget target : targets.all()) {
      if (target.pooled()) {
        if (target.pooledPasswordRotation().compareTo(SHORTEST_ROTATION) < 0) {
          throw new IllegalStateException(
              "broker.neo4j.targets."
                  + target.name()
                  + ".gateway.pooled-password-rotation must be at least 1m");
        }
        MODES.forEach(mode -> login(target.name(), mode));
        LOG.infof("pooled logins ready: target=%s", target.name());
      }
    }
  }

  /** The name of the pooled login for {@code mode}: what Neo4j's own logs name its sessions by. */
  public static String name(Access mode) {
    return Neo4jTarget.POOLED_LOGIN_PREFIX + mode.wire();
  }

  /**
   * The login for {@code mode} on {@code target}, with the password of the current period, which is
   * set on the server first if this replica has not set it yet. Blocks then: call it off the event
   * loop.
   */
  public Login login(String target, Access mode) {
    if (!MODES.contains(mode)) {
      throw new IllegalArgumentException("no pooled login for " + mode);
    }
    Neo4jTarget server = targets.get(target).orElseThrow();
    long period = clock.millis() / server.pooledPasswordRotation().toMillis();
    Login login =
        new Login(
            name(mode),
            Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(
                    seal.derive("pooled|" + target + "|" + mode.wire() + "|" + period)));
    String key = target + "|" + login.user();
    if (set.getOrDefault(key, Long.MIN_VALUE) != period) {
      synchronized (this) {
        if (set.getOrDefault(key, Long.MIN_VALUE) != period) {
          server.keepPooledLogin(login.user(), login.password());
          set.put(key, period);
          LOG.infof("pooled login password set: target=%s login=%s", target, login.user());
        }
      }
    }
    return login;
  }

  /**
   * Makes the next {@link #login} of {@code user} on {@code target} set its password again, as if
   * this replica had never set it: the server refused it. Does not block.
   */
  public void forget(String target, String user) {
    set.remove(target + "|" + user);
  }
}
