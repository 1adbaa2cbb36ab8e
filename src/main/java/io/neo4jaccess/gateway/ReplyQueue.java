package io.neo4jaccess.gateway;

import io.neo4jaccess.gateway.bolt.BoltProtocolException;
import io.neo4jaccess.gateway.bolt.ServerStream;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import java.util.function.UnaryOperator;

/**
 * Keeps the answers to a client's requests in request order, as Bolt requires, when some come from
 * the server (forwarded requests) and some from the gateway itself (ROUTE, refusals, IGNORED): a
 * reply of the gateway's waits until the server has answered every request sent before it.
 */
final class ReplyQueue implements ServerStream.Listener {

  /**
   * One expected answer: from upstream, passed on (with what to do on its summary) or amended
   * ({@code amend}), or written locally.
   */
  private record Entry(IntConsumer onSummary, UnaryOperator<Buffer> amend, Buffer local) {}

  private static final IntConsumer NOTHING = tag -> {};

  private final Deque<Entry> entries = new ArrayDeque<>();
  private final Consumer<Buffer> client;
  private long lastAnswer = System.nanoTime();

  ReplyQueue(Consumer<Buffer> client) {
    this.client = client;
  }

  /** A request went upstream; its answer will arrive in order. */
  void upstream() {
    upstream(NOTHING);
  }

  /** A request went upstream; {@code onSummary} hears its summary's tag once it was passed on. */
  void upstream(IntConsumer onSummary) {
    entries.add(new Entry(onSummary, null, null));
  }

  /**
   * A request went upstream whose one-message answer the gateway must amend: {@code amend} turns
   * the unframed message into the framed bytes the client gets.
   */
  void upstreamAmended(UnaryOperator<Buffer> amend) {
    entries.add(new Entry(null, amend, null));
  }

  /** Whether the server's next message answers a request whose answer is amended. */
  @Override
  public boolean captureNext() {
    Entry head = entries.peek();
    return head != null && head.amend() != null;
  }

  /** The server's whole answer to the oldest forwarded request, to amend. */
  @Override
  public void captured(Buffer message) {
    lastAnswer = System.nanoTime();
    Entry head = entries.poll();
    if (head == null || head.amend() == null) {
      throw new BoltProtocolException("the server answered a request that was not sent");
    }
    client.accept(head.amend().apply(message));
    flushLocal();
  }

  /** The gateway answers a request itself, after everything already expected. */
  void local(Buffer reply) {
    if (entries.isEmpty()) {
      client.accept(reply);
    } else {
      entries.add(new Entry(null, null, reply));
    }
  }

  /**
   * The server's summary for the oldest forwarded request was passed on.
   *
   * @throws BoltProtocolException when the server answers a request that was never sent
   */
  @Override
  public void summary(int tag) {
    lastAnswer = System.nanoTime();
    Entry head = entries.poll();
    if (head == null || head.onSummary() == null) {
      throw new BoltProtocolException("the server answered a request that was not sent");
    }
    head.onSummary().accept(tag);
    flushLocal();
  }

  private void flushLocal() {
    while (!entries.isEmpty() && entries.peek().local() != null) {
      client.accept(entries.poll().local());
    }
  }

  /** When the server last completed an answer ({@link System#nanoTime()}). */
  long lastAnswer() {
    return lastAnswer;
  }

  /** How many answers the client still waits for. */
  int pending() {
    return entries.size();
  }

  /** Whether an answer from the server is still expected. */
  boolean awaitingUpstream() {
    return !entries.isEmpty();
  }
}
