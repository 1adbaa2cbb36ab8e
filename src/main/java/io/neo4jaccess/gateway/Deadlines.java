package io.neo4jaccess.gateway;

import io.vertx.core.Vertx;
import org.jboss.logging.Logger;

/**
 * A connection's two timeouts: it must log in within the handshake timeout, and once logged in it
 * is closed after the idle timeout with neither a request from the client nor an answer awaited or
 * received. One timer at a time, rescheduled only when it fires.
 */
final class Deadlines {

  private static final Logger LOG = Logger.getLogger(Deadlines.class);

  private final Vertx vertx;
  private final GatewaySettings settings;
  private final ReplyQueue replies;
  private final GatewaySession session;
  private long lastRequest = System.nanoTime();
  private long timer;

  Deadlines(Vertx vertx, GatewaySettings settings, ReplyQueue replies, GatewaySession session) {
    this.vertx = vertx;
    this.settings = settings;
    this.replies = replies;
    this.session = session;
  }

  void start() {
    timer = vertx.setTimer(settings.handshakeTimeout().toMillis(), t -> loginDue());
  }

  /** The client sent something. */
  void touched() {
    lastRequest = System.nanoTime();
  }

  void stop() {
    vertx.cancelTimer(timer);
  }

  private void loginDue() {
    if (session.grant() != null || session.state().loggedIn()) {
      idleCheck();
    } else if (!session.isClosed()) {
      LOG.debugf("gateway login too slow: connection=%s", session.id());
      session.close();
    }
  }

  private void idleCheck() {
    long timeout = settings.idleTimeout().toNanos();
    long idle = System.nanoTime() - Math.max(lastRequest, replies.lastAnswer());
    if (idle >= timeout && !replies.awaitingUpstream()) {
      LOG.debugf("gateway connection idle: connection=%s", session.id());
      session.close();
      return;
    }
    long wait = replies.awaitingUpstream() ? timeout : timeout - idle;
    timer = vertx.setTimer(Math.max(1, wait / 1_000_000), t -> idleCheck());
  }
}
