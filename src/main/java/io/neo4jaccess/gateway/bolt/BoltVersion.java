package io.neo4jaccess.gateway.bolt;

import java.util.ArrayList;
import java.util.List;

/**
 * A Bolt protocol version. The handshake carries versions as four bytes: reserved, range, minor,
 * major; a range {@code r} on {@code major.minor} proposes every minor from {@code minor - r} up to
 * {@code minor}.
 */
public record BoltVersion(int major, int minor) implements Comparable<BoltVersion> {

  public static final BoltVersion V4_4 = new BoltVersion(4, 4);

  /** From 5.1 credentials travel in LOGON (with LOGOFF), no longer in HELLO. */
  public static final BoltVersion V5_1 = new BoltVersion(5, 1);

  /** From 5.4 a client may send TELEMETRY. */
  public static final BoltVersion V5_4 = new BoltVersion(5, 4);

  /** From 5.7 a FAILURE carries GQL fields ({@code neo4j_code}, {@code gql_status}, …). */
  public static final BoltVersion V5_7 = new BoltVersion(5, 7);

  /**
   * From 5.8 a BEGIN or auto-commit RUN without {@code db} is answered with the database it ran on
   * ({@code db} in its SUCCESS), which drivers wait for.
   */
  public static final BoltVersion V5_8 = new BoltVersion(5, 8);

  /**
   * Every version the gateway parses, newest first: 4.4, the version Neo4j 4.4 and the 5.x drivers'
   * fallback speak, and 5.0 to 5.8 without 5.5, which no Neo4j server offers (5.26 LTS offers
   * 4.0–4.4, 5.0–5.4 and 5.6–5.8), so it cannot be tested against one. 6.0 (vector values) is left
   * out until a target offers it.
   */
  public static final List<BoltVersion> PARSED =
      List.of(
          V5_8,
          V5_7,
          new BoltVersion(5, 6),
          V5_4,
          new BoltVersion(5, 3),
          new BoltVersion(5, 2),
          V5_1,
          new BoltVersion(5, 0),
          V4_4);

  /** The version in the low three bytes of a handshake word, ignoring any range. */
  public static BoltVersion decode(int word) {
    return new BoltVersion(word & 0xFF, (word >>> 8) & 0xFF);
  }

  /** The versions a handshake word proposes, newest first (one, or a range). */
  public static List<BoltVersion> proposed(int word) {
    int major = word & 0xFF;
    int minor = (word >>> 8) & 0xFF;
    int range = (word >>> 16) & 0xFF;
    List<BoltVersion> versions = new ArrayList<>();
    for (int m = minor; m >= Math.max(0, minor - range); m--) {
      versions.add(new BoltVersion(major, m));
    }
    return versions;
  }

  /** The handshake word naming exactly this version. */
  public int encode() {
    return (minor << 8) | major;
  }

  public boolean atLeast(BoltVersion other) {
    return compareTo(other) >= 0;
  }

  @Override
  public int compareTo(BoltVersion o) {
    return major != o.major ? Integer.compare(major, o.major) : Integer.compare(minor, o.minor);
  }

  @Override
  public String toString() {
    return major + "." + minor;
  }
}
