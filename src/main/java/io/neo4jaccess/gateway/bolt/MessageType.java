package io.neo4jaccess.gateway.bolt;

import java.util.Arrays;
import java.util.Optional;

/**
 * The request messages a client may send in the versions the gateway parses, with their tag, their
 * field count and the first version that has them. Anything else is refused.
 */
public enum MessageType {
  HELLO(0x01, 1, BoltVersion.V4_4),
  GOODBYE(0x02, 0, BoltVersion.V4_4),
  RESET(0x0F, 0, BoltVersion.V4_4),
  RUN(0x10, 3, BoltVersion.V4_4),
  BEGIN(0x11, 1, BoltVersion.V4_4),
  COMMIT(0x12, 0, BoltVersion.V4_4),
  ROLLBACK(0x13, 0, BoltVersion.V4_4),
  DISCARD(0x2F, 1, BoltVersion.V4_4),
  PULL(0x3F, 1, BoltVersion.V4_4),
  TELEMETRY(0x54, 1, BoltVersion.V5_4),
  ROUTE(0x66, 3, BoltVersion.V4_4),
  LOGON(0x6A, 1, BoltVersion.V5_1),
  LOGOFF(0x6B, 0, BoltVersion.V5_1);

  private final int tag;
  private final int fields;
  private final BoltVersion since;

  MessageType(int tag, int fields, BoltVersion since) {
    this.tag = tag;
    this.fields = fields;
    this.since = since;
  }

  public int tag() {
    return tag;
  }

  public int fields() {
    return fields;
  }

  /** The request with this tag in {@code version}, if that version has one. */
  public static Optional<MessageType> of(int tag, BoltVersion version) {
    return Arrays.stream(values())
        .filter(t -> t.tag == tag && version.atLeast(t.since))
        .findFirst();
  }
}
