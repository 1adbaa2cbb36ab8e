package io.neo4jaccess.policy;

import java.util.Locale;

/**
 * What a grant lets its job do, and so what must enforce it. A grant never claims more than its
 * target enforces: {@link #ROLES} only where the server enforces roles (Neo4j Enterprise), {@link
 * #READ} and {@link #WRITE} only through the broker's Bolt gateway, {@link #FULL} elsewhere.
 */
public enum Access {
  /** The granted roles, on the granted database only; the server enforces them. */
  ROLES,
  /** Reads on the granted database; the gateway runs every transaction in READ mode. */
  READ,
  /**
   * Reads and writes on the granted database; the gateway refuses administration, procedures off
   * its allowlist, file {@code LOAD CSV} and, unless the grant says {@code schema: true}, schema
   * changes.
   */
  WRITE,
  /**
   * Whatever the user may do on its server: on Community, administration included. Through the
   * gateway it is still held to the granted database.
   */
  FULL;

  /** As policies, answers and the summary write it, e.g. {@code read}. */
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The value of {@code wire()}, or null for anything else. */
  public static Access ofWire(String value) {
    for (Access a : values()) {
      if (a.wire().equals(value)) {
        return a;
      }
    }
    return null;
  }
}
