package io.neo4jaccess.gateway.bolt;

import io.vertx.core.buffer.Buffer;
import java.util.function.Consumer;

/**
 * Passes the server's chunked stream to the client as the bytes the server sent, without decoding
 * it: it follows chunk headers to find where each message starts and ends, and reads only the
 * message's tag. RECORD streams are never decoded or re-encoded.
 *
 * <p>When a summary (SUCCESS, IGNORED, FAILURE) ends, the bytes so far are passed on first and then
 * the {@link Listener} hears its tag, so that replies the gateway writes itself keep their place.
 * Between messages the listener may ask for the next message whole instead (a reply it must amend);
 * that message is then not passed on but handed over unframed.
 */
public final class ServerStream extends ChunkedInput {

  private static final int MAX_CAPTURED = 1024 * 1024;

  /** Hears where the stream's messages end, and captures the ones it asks for. */
  public interface Listener {

    /** Called between messages: whether the next message is to be captured. */
    boolean captureNext();

    /** The captured message, unframed. */
    void captured(Buffer message);

    /** A passed-on summary with this tag has ended. */
    void summary(int tag);
  }

  private final Consumer<Buffer> client;
  private final Listener listener;
  private boolean inMessage;
  private int seen;
  private int tag;
  private Buffer captured;
  private int passedUpTo;

  /**
   * @param client receives the bytes to pass on, in order
   */
  public ServerStream(Consumer<Buffer> client, Listener listener) {
    this.client = client;
    this.listener = listener;
  }

  /**
   * Consumes bytes from the server.
   *
   * @throws BoltProtocolException when the server sends something that is not a Bolt response
   */
  public void feed(Buffer data) {
    passedUpTo = 0;
    walk(data);
    if (captured == null) {
      pass(data, data.length());
    }
  }

  /** Between messages, before the next header's first byte: capture what follows? */
  @Override
  void headerStarts(Buffer data, int at) {
    if (!inMessage && captured == null && listener.captureNext()) {
      pass(data, at);
      captured = Buffer.buffer(128);
    }
  }

  @Override
  void header(Buffer data, int size, int at) {
    if (size > 0 && !inMessage) {
      inMessage = true;
      seen = 0;
    } else if (size == 0 && inMessage) {
      ended(data, at);
    }
  }

  @Override
  int content(Buffer data, int from, int to) {
    int end = seen < 2 ? from + 1 : to;
    if (seen < 2) {
      readHead(data.getUnsignedByte(from));
    }
    if (captured != null) {
      if (captured.length() + end - from > MAX_CAPTURED) {
        throw new BoltProtocolException("the server sent an oversized summary");
      }
      captured.appendBuffer(data, from, end - from);
    }
    return end - from;
  }

  private void ended(Buffer data, int at) {
    if (seen < 2) {
      throw new BoltProtocolException("the server sent a message without a tag");
    }
    inMessage = false;
    if (captured != null) {
      Buffer message = captured;
      captured = null;
      passedUpTo = at;
      listener.captured(message);
    } else if (ServerMessages.isSummary(tag)) {
      pass(data, at);
      listener.summary(tag);
    }
  }

  /** Passes on the bytes from where passing stopped up to {@code to}. */
  private void pass(Buffer data, int to) {
    if (to > passedUpTo) {
      client.accept(passedUpTo == 0 && to == data.length() ? data : data.slice(passedUpTo, to));
    }
    passedUpTo = Math.max(passedUpTo, to);
  }

  private void readHead(int b) {
    if (++seen == 1 && (b & 0xF0) != 0xB0) {
      throw new BoltProtocolException("the server sent a message that is not a structure");
    }
    if (seen == 2) {
      if (b != ServerMessages.RECORD && !ServerMessages.isSummary(b)) {
        throw new BoltProtocolException("the server sent an unknown message");
      }
      tag = b;
    }
  }
}
