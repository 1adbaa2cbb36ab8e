package io.neo4jaccess.lease;

import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Where a lease is in its life, and the moves it may make. Every state change the broker writes
 * names its {@code from} states and its {@code to} state, and {@link #requireMove} checks them here
 * before any Cypher runs, so a move the table does not allow cannot be written by mistake.
 *
 * <pre>
 * issuing -> active -> [revoke_requested ->] revoking -> revoked
 *                                            revoking -> revoke_failed -> revoking   (retried with backoff)
 * issuing -> revoking -> failed                   (abandoned by a crashed exchange; its user is dropped)
 * issuing -> failed                               (the user could not be created)
 * revoking -> revoking                            (re-claimed from a replica that died mid-revocation)
 * revoking -> failed                              (the target refused: the user lacks its prefix)
 * </pre>
 */
public enum LeaseState {
  ISSUING,
  ACTIVE,
  REVOKE_REQUESTED,
  REVOKING,
  REVOKED,
  REVOKE_FAILED,
  FAILED;

  /** States in which the lease's user may exist: never taken for an orphan. */
  public static final Set<LeaseState> LIVE =
      EnumSet.of(ISSUING, ACTIVE, REVOKE_REQUESTED, REVOKING, REVOKE_FAILED);

  /** States of a lease whose revocation has not begun: a claim from one counts a revocation. */
  public static final Set<LeaseState> BEFORE_REVOCATION =
      EnumSet.of(ISSUING, ACTIVE, REVOKE_REQUESTED);

  /** States from which a trigger (self-revoke, job end, expiry) may start a revocation. */
  public static final Set<LeaseState> REVOCABLE = EnumSet.of(ACTIVE, REVOKE_REQUESTED);

  /** The state as stored and shown, e.g. {@code revoke_requested}. */
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static LeaseState ofWire(String stored) {
    return valueOf(stored.toUpperCase(Locale.ROOT));
  }

  /** The states reachable from this one in one move. */
  public Set<LeaseState> next() {
    return switch (this) {
      case ISSUING -> EnumSet.of(ACTIVE, REVOKING, FAILED);
      case ACTIVE -> EnumSet.of(REVOKE_REQUESTED, REVOKING);
      case REVOKE_REQUESTED, REVOKE_FAILED -> EnumSet.of(REVOKING);
      case REVOKING -> EnumSet.of(REVOKING, REVOKED, REVOKE_FAILED, FAILED);
      case REVOKED, FAILED -> EnumSet.noneOf(LeaseState.class);
    };
  }

  /**
   * Refuses a write that would move a lease from any of {@code from} to {@code to} where the table
   * above has no such move.
   *
   * @return the {@code from} states as stored, the parameter the write's Cypher matches on
   */
  public static List<String> requireMove(Collection<LeaseState> from, LeaseState to) {
    for (LeaseState f : from) {
      if (!f.next().contains(to)) {
        throw new IllegalArgumentException("a lease cannot move from " + f + " to " + to);
      }
    }
    return wire(from);
  }

  /** States as stored, for Cypher parameters. */
  public static List<String> wire(Collection<LeaseState> states) {
    return states.stream().map(LeaseState::wire).toList();
  }
}
