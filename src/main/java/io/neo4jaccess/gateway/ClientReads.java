package io.neo4jaccess.gateway;

import io.vertx.core.net.NetSocket;

/**
 * Whether the gateway reads a client's requests: not while a request waits for something (the lease
 * check, the upstream connection, a classification off the event loop), nor while the server's
 * write queue is full. Reading resumes only when neither holds. Runs on the connection's event
 * loop.
 */
final class ClientReads {

  private final NetSocket client;
  private boolean waiting;
  private boolean serverFull;

  ClientReads(NetSocket client) {
    this.client = client;
  }

  /** A request waits for something before the next may be judged. */
  void waitForAnswer() {
    waiting = true;
    client.pause();
  }

  void answered() {
    waiting = false;
    resumeIfFree();
  }

  boolean waiting() {
    return waiting;
  }

  /** The server's write queue is full; {@link #serverDrained()} once it has room again. */
  void serverFull() {
    serverFull = true;
    client.pause();
  }

  void serverDrained() {
    serverFull = false;
    resumeIfFree();
  }

  private void resumeIfFree() {
    if (!waiting && !serverFull) {
      client.resume();
    }
  }
}
