package io.neo4jaccess.gateway;

import io.neo4jaccess.gateway.bolt.BoltProtocolException;
import io.neo4jaccess.gateway.bolt.ServerStream;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;

/**
 * A connection's upstream half once negotiated: requests go out as framed messages; the server's
 * bytes go to the client as they are, with summaries reported in order. Each direction stops
 * reading while the other side's write queue is full, so a slow reader never makes the gateway
 * buffer without bound.
 */
final class UpstreamLink {

  private final NetSocket server;
  private final NetSocket client;

  /**
   * @param replies hears where answers end (see {@link ServerStream})
   * @param broken called when the server connection ends or sends something that is not Bolt
   */
  UpstreamLink(NetSocket server, NetSocket client, ServerStream.Listener replies, Runnable broken) {
    this.server = server;
    this.client = client;
    ServerStream stream = new ServerStream(this::toClient, replies);
    server.handler(
        data -> {
          try {
            stream.feed(data);
          } catch (BoltProtocolException e) {
            broken.run();
          }
        });
    server.closeHandler(v -> broken.run());
    server.exceptionHandler(e -> broken.run());
    server.resume();
  }

  /** Sends one framed request. Returns false when the server's write queue is full. */
  boolean send(Buffer framed) {
    server.write(framed);
    return !server.writeQueueFull();
  }

  /** Calls {@code then} once the server's write queue has room again. */
  void whenWritable(Runnable then) {
    server.drainHandler(v -> then.run());
  }

  /** Closes the server connection; safe from any thread. */
  void close() {
    server.close();
  }

  private void toClient(Buffer bytes) {
    client.write(bytes);
    if (client.writeQueueFull()) {
      server.pause();
      client.drainHandler(v -> server.resume());
    }
  }
}
