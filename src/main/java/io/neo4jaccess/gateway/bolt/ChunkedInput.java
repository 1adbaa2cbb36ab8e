package io.neo4jaccess.gateway.bolt;

import io.vertx.core.buffer.Buffer;

/**
 * Bolt's framing read as bytes arrive, however they are split: each chunk is a two-byte size and
 * that many bytes; an empty chunk ends a message, or between messages is a keep-alive (NOOP).
 * Subclasses hear where chunk headers and chunk contents fall in each buffer.
 */
abstract class ChunkedInput {

  private int headerHigh = -1;
  private int chunkRemaining;

  /** Walks the bytes of {@code data}, calling the hooks in stream order. */
  final void walk(Buffer data) {
    int length = data.length();
    for (int at = 0; at < length; ) {
      if (chunkRemaining > 0) {
        int take = Math.min(chunkRemaining, length - at);
        int used = content(data, at, at + take);
        at += used;
        chunkRemaining -= used;
      } else if (headerHigh < 0) {
        headerStarts(data, at);
        headerHigh = data.getUnsignedByte(at++);
      } else {
        int size = (headerHigh << 8) | data.getUnsignedByte(at++);
        headerHigh = -1;
        chunkRemaining = size;
        header(data, size, at);
      }
    }
  }

  /** A chunk header begins at {@code at} (its second byte may come in a later buffer). */
  void headerStarts(Buffer data, int at) {}

  /** A chunk header announcing {@code size} bytes ended just before {@code at}. */
  abstract void header(Buffer data, int size, int at);

  /**
   * Chunk content in {@code [from, to)}.
   *
   * @return how many of these bytes were consumed (at least one); the rest comes again
   */
  abstract int content(Buffer data, int from, int to);
}
