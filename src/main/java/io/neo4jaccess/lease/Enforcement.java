package io.neo4jaccess.lease;

import java.util.Locale;

/**
 * Which guarantee holds for what a lease grants. A grant never claims more than its server or the
 * gateway enforces.
 */
public enum Enforcement {
  /** Neo4j Enterprise enforces the granted roles on the granted database. */
  ROLES,
  /** The broker's Bolt gateway, through which alone jobs reach the target, enforces the grant. */
  GATEWAY,
  /** Nothing enforces a scope: the user can do whatever its server allows (Community: anything). */
  NONE;

  /** As the exchange answer and the summary show it, e.g. {@code roles}. */
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }
}
