package io.neo4jaccess.gateway.bolt;

import io.vertx.core.buffer.Buffer;
import java.util.function.Consumer;

/**
 * Bolt's framing of requests: a message travels as chunks of at most 65,535 bytes and ends with an
 * empty chunk. An instance reassembles the messages of one inbound stream, refusing any message
 * larger than its current limit as soon as a chunk header announces it, before its bytes are
 * buffered. Keep-alive chunks between messages are dropped.
 */
public final class Chunks extends ChunkedInput {

  private static final int MAX_CHUNK = 0xFFFF;

  private Buffer message = Buffer.buffer();
  private int limit;
  private Consumer<Buffer> messages;

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

  /**
   * Feeds received bytes; every message they complete goes to {@code messages}, in order.
   *
   * @throws BoltProtocolException when a chunk header would take a message past the limit
   */
  public void feed(Buffer data, Consumer<Buffer> messages) {
    this.messages = messages;
    walk(data);
  }

  @Override
  void header(Buffer data, int size, int at) {
    if (size == 0 && message.length() > 0) {
      Buffer complete = message;
      message = Buffer.buffer();
      messages.accept(complete);
    } else if (message.length() + size > limit) {
      throw new BoltProtocolException("a message is larger than " + limit + " bytes");
    }
  }

  @Override
  int content(Buffer data, int from, int to) {
    message.appendBuffer(data, from, to - from);
    return to - from;
  }
}
