package io.neo4jaccess.gateway;

import io.neo4jaccess.gateway.bolt.BoltProtocolException;
import io.neo4jaccess.gateway.bolt.BoltStatus;
import io.neo4jaccess.gateway.bolt.BoltVersion;
import io.neo4jaccess.gateway.bolt.Chunks;
import io.neo4jaccess.gateway.bolt.ClientMessage;
import io.neo4jaccess.gateway.bolt.ServerMessages;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.IntConsumer;
import java.util.function.UnaryOperator;
import org.jboss.logging.Logger;

/**
 * One client connection through the gateway: its handshake, its framing, its state, the order of
 * its answers and its upstream half. Everything but {@link #close()} runs on the connection's event
 * loop; logins ({@link LoginFlow}) and requests after login ({@link RequestFlow}) are judged in
 * their own classes.
 *
 * <p>While a request waits for something (the lease check, the upstream connection) the client is
 * paused and later requests wait in the inbox, so that answers keep their order and memory stays
 * bounded.
 */
final class GatewaySession implements GatewayConnections.Live {

  private static final Logger LOG = Logger.getLogger(GatewaySession.class);

  /**
   * Requests a client may pipeline before their answers: drivers send a handful; more only grows
   * the gateway's memory (answers to a refused pipeline are all written by the gateway).
   */
  static final int MAX_PENDING_ANSWERS = 1000;

  private final GatewayContext gateway;
  private final NetSocket client;
  private final String id;
  private final CoalescedWrites toClient;
  private final ClientReads reads;
  private final ReplyQueue replies;
  private final LoginFlow login;
  private final RequestFlow requests;
  private final Deque<Buffer> inbox = new ArrayDeque<>();
  private ClientHandshake handshake;
  private TargetProbe.Facts facts;
  private Chunks chunks;
  private SessionState state = SessionState.NEGOTIATING;
  private BoltVersion version;
  private volatile UpstreamLink upstream;
  private GatewayGrant grant;
  private boolean opened;
  private final Deadlines deadlines;

  GatewaySession(GatewayContext gateway, NetSocket client, String id) {
    this.gateway = gateway;
    this.client = client;
    this.id = id;
    this.toClient = new CoalescedWrites(client);
    this.reads = new ClientReads(client);
    this.replies = new ReplyQueue(toClient::write);
    this.login = new LoginFlow(this, gateway);
    this.requests = new RequestFlow(this, gateway);
    this.deadlines = new Deadlines(gateway.vertx(), gateway.settings(), replies, this);
  }

  void start() {
    Context context = gateway.vertx().getOrCreateContext();
    handshake = new ClientHandshake(this, client, gateway, context);
    gateway.sessions().add(this);
    client.handler(this::received);
    client.closeHandler(v -> teardown());
    client.exceptionHandler(e -> close());
    deadlines.start();
  }

  /** Closes the client connection and its upstream half at once; safe from any thread. */
  @Override
  public void close() {
    client.close();
    UpstreamLink link = upstream;
    if (link != null) {
      link.close();
    }
  }

  /**
   * Closes once what was written so far is sent both ways: an answer that ends the connection, or
   * the client's GOODBYE after requests of the same read.
   */
  void closeAfterWrites() {
    toClient.flush();
    UpstreamLink link = upstream;
    if (link != null) {
      link.flush();
    }
    close();
  }

  String id() {
    return id;
  }

  SessionState state() {
    return state;
  }

  BoltVersion version() {
    return version;
  }

  GatewayGrant grant() {
    return grant;
  }

  TargetProbe.Facts facts() {
    return facts;
  }

  ReplyQueue replies() {
    return replies;
  }

  LoginFlow login() {
    return login;
  }

  boolean hasUpstream() {
    return upstream != null;
  }

  String remote() {
    return String.valueOf(client.remoteAddress());
  }

  void moveTo(SessionState next) {
    if (!state.next().contains(next)) {
      throw new IllegalStateException(state + " cannot move to " + next);
    }
    state = next;
  }

  /** A lease was checked and registered: its grant applies from now on. */
  void loggedIn(GatewayGrant grant) {
    this.grant = grant;
  }

  /**
   * Upstream accepted the login: the connection counts as the lease's (a wrong password, which only
   * the server can tell, opened none), and requests of any size (within the limit) may follow.
   */
  void ready() {
    opened = true;
    gateway.audit().connectionOpened(grant, id);
    moveTo(SessionState.READY);
    chunks.limit(gateway.settings().maxMessageBytes());
    resume();
  }

  /** The connection no longer serves its lease (LOGOFF, or closed). */
  void loggedOut() {
    if (grant != null) {
      gateway.connections().unregister(grant.leaseId(), this);
      if (opened) {
        gateway.audit().connectionClosed(grant, id);
      }
      grant = null;
      opened = false;
    }
    if (chunks != null) {
      chunks.limit(gateway.settings().maxLoginMessageBytes());
    }
  }

  void attach(UpstreamDialer.Dialed dialed) {
    upstream = new UpstreamLink(dialed.socket(), client, toClient, reads, replies, this::close);
  }

  /** Sends a request upstream; {@code onSummary} hears the tag of its answer's summary. */
  void forward(Buffer body, IntConsumer onSummary) {
    replies.upstream(onSummary);
    upstream.send(body);
  }

  /** Sends a request upstream whose one-message answer {@code amend} rewrites for the client. */
  void forwardAmended(Buffer body, UnaryOperator<Buffer> amend) {
    replies.upstreamAmended(amend);
    upstream.send(body);
  }

  /** Stops taking requests until {@link #resume()}: an answer is awaited before going on. */
  void suspend() {
    reads.waitForAnswer();
  }

  void resume() {
    reads.answered();
    drain();
  }

  boolean isClosed() {
    return state == SessionState.CLOSED;
  }

  /** Answers with a FAILURE at once, then closes: the connection cannot go on. */
  void failAndClose(BoltStatus status, String message) {
    suspend();
    if (version == null) {
      close();
      return;
    }
    toClient.flush();
    client.write(ServerMessages.failure(version, status, message)).onComplete(ar -> close());
  }

  /** Bytes that are not what the protocol allows here. */
  void violation(String reason) {
    LOG.debugf("gateway protocol violation: connection=%s reason=%s", id, reason);
    failAndClose(BoltStatus.INVALID, reason);
  }

  private void received(Buffer data) {
    deadlines.touched();
    try {
      if (state == SessionState.NEGOTIATING) {
        handshake.feed(data);
      } else if (state != SessionState.CLOSED) {
        chunks.feed(data, inbox::add);
        drain();
      }
    } catch (BoltProtocolException e) {
      violation(e.getMessage());
    }
  }

  /** Judges waiting requests; those it forwards go upstream as one write. */
  private void drain() {
    UpstreamLink link = upstream;
    if (link == null) {
      drainInbox();
    } else {
      link.batched(this::drainInbox);
    }
  }

  private void drainInbox() {
    while (!reads.waiting() && !inbox.isEmpty() && state != SessionState.CLOSED) {
      if (replies.pending() >= MAX_PENDING_ANSWERS) {
        violation("more than " + MAX_PENDING_ANSWERS + " requests await their answers");
        return;
      }
      Buffer body = inbox.poll();
      ClientMessage message;
      try {
        message = ClientMessage.decode(body, version, gateway.settings().maxNestingDepth());
      } catch (BoltProtocolException e) {
        violation(e.getMessage());
        return;
      }
      switch (state) {
        case CONNECTED -> login.hello(message);
        case AUTHENTICATION -> login.logon(message);
        case READY, IN_TRANSACTION, FAILED -> requests.handle(message);
        default -> violation(message + " is not expected now");
      }
    }
  }

  /** The handshake agreed on a version; {@code rest} is what the client sent after it. */
  void agreed(BoltVersion agreed, TargetProbe.Facts target, Buffer rest) {
    version = agreed;
    facts = target;
    handshake = null;
    chunks = new Chunks(gateway.settings().maxLoginMessageBytes());
    moveTo(SessionState.CONNECTED);
    if (rest.length() > 0) {
      chunks.feed(rest, inbox::add);
    }
    resume();
  }

  private void teardown() {
    if (state == SessionState.CLOSED) {
      return;
    }
    state = SessionState.CLOSED;
    deadlines.stop();
    UpstreamLink link = upstream;
    if (link != null) {
      link.close();
    }
    loggedOut();
    gateway.connections().release();
    gateway.sessions().remove(this);
  }
}
