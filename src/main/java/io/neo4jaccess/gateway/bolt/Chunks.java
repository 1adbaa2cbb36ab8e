package io.neo4jaccess.gateway.bolt;

import io.vertx.core.buffer.Buffer;
import java.util.function.Consumer;

/**
 * Bolt's framing: a message travels as chunks of at most 65,535 bytes, each after a two-byte size,
 * and ends with an empty chunk. An empty chunk between messages is a keep-alive (NOOP).
 *
 * <p>An instance reassembles the messages of one inbound stream, refusing any message larger than
 * its current limit as soon as a chunk header announces it, before its bytes are buffered.
 */
public final class Chunks {

  private static final int MAX_CHUNK = 0xFFFF;

  private Buffer message = Buffer.buffer();
  private int limit;
  private int headerHigh = -1;
  private int chunkRemaining;

  public Chunks(int limit) {
    this.limit = limit;
  }

  /** The largest message accepted from now on (smaller before authentication). */
  public void limit(int bytes) {
    this.limit = bytes;
  }

  /** Frames one whole message for sending. */
  public static Buffer frame(Buffer message) {
    int length = message.length();
    Buffer out = Buffer.buffer(length + 2 * (length / MAX_CHUNK + 2));
    for (int at = 0; at < length; at += MAX_CHUNK) {
      int size = Math.min(MAX_CHUNK, length - at);
      out.appendUnsignedShort(size).appendBuffer(message, at, size);
    }
    return out.appendUnsignedShort(0);
  }

  /** Feeds received bytes; every message they complete goes to {@code messages}, in order. */
  public void feed(Buffer data, Consumer<Buffer> messages) {
    int at = 0;
    int length = data.length();
    while (at < length) {
      if (chunkRemaining > 0) {
        int take = Math.min(chunkRemaining, length - at);
        message.appendBuffer(data, at, take);
        at += take;
        chunkRemaining -= take;
      } else if (headerHigh < 0) {
        headerHigh = data.getUnsignedByte(at++);
      } else {
        int size = (headerHigh << 8) | data.getUnsignedByte(at++);
        headerHigh = -1;
        if (size == 0) {
          if (message.length() > 0) {
            Buffer complete = message;
            message = Buffer.buffer();
            messages.accept(complete);
          }
        } else if (message.length() + size > limit) {
          throw new BoltProtocolException("a message is larger than " + limit + " bytes");
        } else {
          chunkRemaining = size;
        }
      }
    }
  }

  /** Whether a message has started and not ended. */
  public boolean midMessage() {
    return message.length() > 0 || chunkRemaining > 0 || headerHigh >= 0;
  }
}
