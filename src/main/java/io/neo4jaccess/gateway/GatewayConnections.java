package io.neo4jaccess.gateway;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The gateway connections of this broker, over all gateway targets: how many are open (beyond
 * {@code max} new ones are refused) and which lease each logged-in one serves. The lease side calls
 * {@link #closeLease} before it drops a lease's user; a lease's connection beyond {@code perLease}
 * is refused.
 *
 * <p>A closed lease is remembered for an hour, so that a login whose lease check answered just
 * before the revocation cannot register afterwards and outlive it.
 */
public final class GatewayConnections {

  private static final Duration REMEMBER_CLOSED = Duration.ofHours(1);
  private static final int PRUNE_ABOVE = 1024;

  /** A connection the registry can close. */
  public interface Live {
    /** Closes the client connection and its upstream connection; safe from any thread. */
    void close();
  }

  /** The outcome of {@link #register}. */
  public enum Registration {
    REGISTERED,
    LIMIT_REACHED,
    LEASE_CLOSED
  }

  private final int perLease;
  private final int max;
  private final Clock clock;
  private final AtomicInteger open = new AtomicInteger();
  private final Map<String, Set<Live>> byLease = new ConcurrentHashMap<>();
  private final Map<String, Long> closed = new ConcurrentHashMap<>();

  /**
   * @param perLease most logged-in connections per lease
   * @param max most open client connections, logged in or not
   */
  public GatewayConnections(int perLease, int max, Clock clock) {
    this.perLease = perLease;
    this.max = max;
    this.clock = clock;
  }

  /** Takes a slot for a new client connection; false when every slot is taken. */
  public boolean admit() {
    if (open.incrementAndGet() > max) {
      open.decrementAndGet();
      return false;
    }
    return true;
  }

  /** Gives back the slot of a closed client connection. */
  public void release() {
    open.decrementAndGet();
  }

  /** Adds a logged-in connection of {@code leaseId}, unless the lease is full or closed. */
  public Registration register(String leaseId, Live connection) {
    Registration[] outcome = {Registration.REGISTERED};
    byLease.compute(
        leaseId,
        (id, set) -> {
          if (closed.containsKey(id)) {
            outcome[0] = Registration.LEASE_CLOSED;
            return set;
          }
          Set<Live> live = set == null ? ConcurrentHashMap.newKeySet() : set;
          if (live.size() >= perLease) {
            outcome[0] = Registration.LIMIT_REACHED;
          } else {
            live.add(connection);
          }
          return live;
        });
    return outcome[0];
  }

  /** Removes a connection that ended or logged off; nothing if it was not registered. */
  public void unregister(String leaseId, Live connection) {
    byLease.computeIfPresent(
        leaseId,
        (id, set) -> {
          set.remove(connection);
          return set.isEmpty() ? null : set;
        });
  }

  /**
   * Closes every connection of the lease at once (client and upstream) and refuses its logins from
   * now on.
   *
   * @return how many connections were closed
   */
  public int closeLease(String leaseId) {
    long now = clock.millis();
    if (closed.size() > PRUNE_ABOVE) {
      closed.values().removeIf(at -> now - at > REMEMBER_CLOSED.toMillis());
    }
    AtomicReference<Set<Live>> removed = new AtomicReference<>(Set.of());
    byLease.compute(
        leaseId,
        (id, set) -> {
          closed.put(id, now);
          if (set != null) {
            removed.set(set);
          }
          return null;
        });
    removed.get().forEach(Live::close);
    return removed.get().size();
  }

  /** The leases that have live connections now. */
  public Set<String> leases() {
    return Set.copyOf(byLease.keySet());
  }

  /** Live connections of one lease. */
  public int count(String leaseId) {
    Set<Live> set = byLease.get(leaseId);
    return set == null ? 0 : set.size();
  }
}
