package io.neo4jaccess.gateway;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;

/**
 * Writes to one socket, holding what is written while the other side's bytes are being handled and
 * sending it as one write when they are done. A query's request (RUN and PULL) or answer (the RUN's
 * SUCCESS, its records and the PULL's SUCCESS) then crosses each hop as one write instead of one
 * per message: a system call and a wake-up of the reader less each, which is most of what a proxy
 * hop costs. Order is kept: every write to the socket goes through here. Runs on the connection's
 * event loop only.
 */
final class CoalescedWrites {

  private final NetSocket socket;
  private Runnable full = () -> {};
  private Buffer held;
  private boolean owned;
  private boolean holding;

  CoalescedWrites(NetSocket socket) {
    this.socket = socket;
  }

  /**
   * @param then called after a write that filled the socket's write queue, to stop reading the side
   *     that feeds it
   */
  void whenFull(Runnable then) {
    full = then;
  }

  /**
   * Runs {@code handling}, holding its writes and sending them as one write after it. A nested call
   * joins the outer one.
   */
  void around(Runnable handling) {
    if (holding) {
      handling.run();
      return;
    }
    holding = true;
    try {
      handling.run();
    } finally {
      holding = false;
      flush();
    }
  }

  void write(Buffer bytes) {
    if (!holding) {
      send(bytes);
    } else if (held == null) {
      held = bytes;
    } else if (owned) {
      held.appendBuffer(bytes);
    } else {
      // The first piece may be a slice of what was read: copy once into a buffer of our own.
      held =
          Buffer.buffer(2 * (held.length() + bytes.length()))
              .appendBuffer(held)
              .appendBuffer(bytes);
      owned = true;
    }
  }

  /** Sends what is held now, before a write that must follow it (a closing FAILURE). */
  void flush() {
    Buffer bytes = held;
    held = null;
    owned = false;
    if (bytes != null) {
      send(bytes);
    }
  }

  private void send(Buffer bytes) {
    socket.write(bytes);
    if (socket.writeQueueFull()) {
      full.run();
    }
  }
}
