package io.neo4jaccess.gateway.bolt;

import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Bolt's version negotiation, both ways. A client opens with a magic word and four proposals (a
 * version or a range each, most wanted first). The server answers with one version, or with zero
 * when it supports none. A proposal of {@link #MANIFEST_V1} asks for the newer exchange instead:
 * the server lists every version it speaks (a count, then the versions, then a bit mask of
 * capabilities, count and mask as base-128 varints), and the client answers with the version it
 * picked and the capabilities it wants.
 */
public final class Handshake {

  public static final int MAGIC = 0x6060B017;

  /** Magic and four proposals. */
  public static final int PREAMBLE_SIZE = 20;

  /** The proposal "handshake manifest v1" (major 255, minor 1). */
  public static final int MANIFEST_V1 = 0x000001FF;

  /** A varint longer than this is refused (the gateway offers no capabilities). */
  private static final int MAX_VARINT_BYTES = 5;

  private static final int MAX_OFFERED = 64;

  private Handshake() {}

  /** What to answer a client: one version, a manifest, or nothing in common. */
  public record Answer(BoltVersion version, boolean manifest) {

    static Answer none() {
      return new Answer(null, false);
    }

    public boolean agreed() {
      return version != null || manifest;
    }
  }

  /** A choice read from the wire and the number of bytes it took. */
  public record Choice(BoltVersion version, int length) {}

  /** A server's answer: the versions it speaks, whether it sent a manifest, bytes it took. */
  public record Offer(List<BoltVersion> versions, boolean manifest, int length) {}

  /** The client's four proposals, after checking the magic word. */
  public static int[] proposals(Buffer preamble) {
    if (preamble.getInt(0) != MAGIC) {
      throw new BoltProtocolException("not a Bolt client (bad magic)");
    }
    return new int[] {
      preamble.getInt(4), preamble.getInt(8), preamble.getInt(12), preamble.getInt(16)
    };
  }

  /** The first proposal this gateway can honour, from versions it supports (newest first). */
  public static Answer answer(int[] proposals, List<BoltVersion> supported) {
    for (int proposal : proposals) {
      if (proposal == MANIFEST_V1) {
        return supported.isEmpty() ? Answer.none() : new Answer(null, true);
      }
      for (BoltVersion v : BoltVersion.proposed(proposal)) {
        if (proposal != 0 && supported.contains(v)) {
          return new Answer(v, false);
        }
      }
    }
    return Answer.none();
  }

  /** The manifest: every supported version, and no capabilities. */
  public static Buffer manifest(List<BoltVersion> supported) {
    Buffer out = Buffer.buffer().appendInt(MANIFEST_V1);
    writeVarint(out, supported.size());
    supported.forEach(v -> out.appendInt(v.encode()));
    return out.appendByte((byte) 0);
  }

  /**
   * The client's pick after a manifest, or null while its bytes are incomplete.
   *
   * @throws BoltProtocolException for a range, or for capabilities, as none were offered
   */
  public static Choice readChoice(Buffer in) {
    if (in.length() < 5) {
      return null;
    }
    int word = in.getInt(0);
    long[] capabilities = readVarint(in, 4);
    if (capabilities == null) {
      return null;
    }
    if ((word >>> 16) != 0 || capabilities[0] != 0) {
      throw new BoltProtocolException("a manifest choice names a range or capabilities");
    }
    return new Choice(BoltVersion.decode(word), 4 + (int) capabilities[1]);
  }

  /** The gateway's own opening, as a client of the target. */
  public static Buffer preamble(int... proposals) {
    Buffer out = Buffer.buffer(PREAMBLE_SIZE).appendInt(MAGIC);
    for (int i = 0; i < 4; i++) {
      out.appendInt(i < proposals.length ? proposals[i] : 0);
    }
    return out;
  }

  /** The bytes that pick {@code version} from a server's manifest, asking no capabilities. */
  public static Buffer pick(BoltVersion version) {
    return Buffer.buffer(5).appendInt(version.encode()).appendByte((byte) 0);
  }

  /**
   * A server's answer to {@link #preamble}, or null while its bytes are incomplete. An empty list
   * means the server supports none of the proposals.
   */
  public static Offer readOffer(Buffer in) {
    if (in.length() < 4) {
      return null;
    }
    int word = in.getInt(0);
    if (word != MANIFEST_V1) {
      List<BoltVersion> one = word == 0 ? List.of() : List.of(BoltVersion.decode(word));
      return new Offer(one, false, 4);
    }
    long[] count = readVarint(in, 4);
    if (count == null) {
      return null;
    }
    if (count[0] > MAX_OFFERED) {
      throw new BoltProtocolException("the server lists too many versions");
    }
    int at = 4 + (int) count[1];
    if (in.length() < at + 4 * count[0]) {
      return null;
    }
    List<BoltVersion> versions = new ArrayList<>();
    for (int i = 0; i < count[0]; i++, at += 4) {
      versions.addAll(BoltVersion.proposed(in.getInt(at)));
    }
    long[] capabilities = readVarint(in, at);
    return capabilities == null ? null : new Offer(versions, true, at + (int) capabilities[1]);
  }

  private static void writeVarint(Buffer out, int value) {
    do {
      int b = value & 0x7F;
      value >>>= 7;
      out.appendByte((byte) (value != 0 ? b | 0x80 : b));
    } while (value != 0);
  }

  /** A varint's value and length at {@code at}, or null while incomplete. */
  private static long[] readVarint(Buffer in, int at) {
    long value = 0;
    for (int i = 0; i < MAX_VARINT_BYTES; i++) {
      if (at + i >= in.length()) {
        return null;
      }
      int b = in.getUnsignedByte(at + i);
      value |= (long) (b & 0x7F) << (7 * i);
      if ((b & 0x80) == 0) {
        return new long[] {value, i + 1};
      }
    }
    throw new BoltProtocolException("a varint is longer than " + MAX_VARINT_BYTES + " bytes");
  }
}
