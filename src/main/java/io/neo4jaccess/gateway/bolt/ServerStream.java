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
public final class ServerStream {

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
  private int headerHigh = -1;
  private int chunkRemaining;
  private boolean inMessage;
  private int seen;
  private int tag;
  private Buffer captured;

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
    int length = data.length();
    int passedUpTo = 0;
    int at = 0;
    while (at < length) {
      if (betweenMessages() && captured == null && listener.captureNext()) {
        pass(data, passedUpTo, at);
        passedUpTo = at;
        captured = Buffer.buffer(128);
      }
      if (chunkRemaining > 0) {
        int take = seen < 2 ? 1 : Math.min(chunkRemaining, length - at);
        if (seen < 2) {
          readHead(data.getUnsignedByte(at));
        }
        if (captured != null) {
          if (captured.length() + take > MAX_CAPTURED) {
            throw new BoltProtocolException("the server sent an oversized summary");
          }
          captured.appendBuffer(data, at, take);
        }
        at += take;
        chunkRemaining -= take;
      } else if (headerHigh < 0) {
        headerHigh = data.getUnsignedByte(at++);
      } else {
        int size = (headerHigh << 8) | data.getUnsignedByte(at++);
        headerHigh = -1;
        chunkRemaining = size;
        if (size > 0 && !inMessage) {
          inMessage = true;
          seen = 0;
        } else if (size == 0 && inMessage) {
          passedUpTo = ended(data, passedUpTo, at);
        }
      }
    }
    if (captured == null) {
      pass(data, passedUpTo, length);
    }
  }

  /** A message ended at {@code at}; returns where passing on continues. */
  private int ended(Buffer data, int passedUpTo, int at) {
    if (seen < 2) {
      throw new BoltProtocolException("the server sent a message without a tag");
    }
    inMessage = false;
    if (captured != null) {
      Buffer message = captured;
      captured = null;
      listener.captured(message);
      return at;
    }
    if (ServerMessages.isSummary(tag)) {
      pass(data, passedUpTo, at);
      listener.summary(tag);
      return at;
    }
    return passedUpTo;
  }

  private boolean betweenMessages() {
    return !inMessage && headerHigh < 0;
  }

  private void pass(Buffer data, int from, int to) {
    if (to > from) {
      client.accept(from == 0 && to == data.length() ? data : data.slice(from, to));
    }
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
