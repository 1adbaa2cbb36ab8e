package io.neo4jaccess.gateway;

import io.neo4jaccess.gateway.bolt.BoltProtocolException;
import io.neo4jaccess.gateway.bolt.Chunks;
import io.neo4jaccess.gateway.bolt.ServerStream;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;

/**
 * A connection's upstream half once negotiated: requests go out as framed messages; the server's
 * bytes go to the client as they are, with summaries reported in order. What one read of either
 * side makes the gateway write to the other goes out as one write ({@link CoalescedWrites}). Each
 * direction stops reading while the other side's write queue is full, so a slow reader never makes
 * the gateway buffer without bound.
 */
final class UpstreamLink {

  private final NetSocket server;
  private final CoalescedWrites toServer;

  /**
   * @param toClient the client connection's writes, which the gateway's own replies share
   * @param reads paused while the server's write queue is full
   * @param replies hears where answers end (see {@link ServerStream})
   * @param broken called when the server connection ends or sends something that is not Bolt
   */
  UpstreamLink(
      NetSocket server,
      NetSocket client,
      CoalescedWrites toClient,
      ClientReads reads,
      ServerStream.Listener replies,
      Runnable broken) {
    this.server = server;
    this.toServer = new CoalescedWrites(server);
    toServer.whenFull(
        () -> {
          reads.serverFull();
          server.drainHandler(v -> reads.serverDrained());
        });
    // Before this half existed the gateway wrote only its own short replies to the client.
    toClient.whenFull(
        () -> {
          server.pause();
          client.drainHandler(v -> server.resume());
        });
    ServerStream stream = new ServerStream(toClient::write, replies);
    server.handler(
        data ->
            toClient.around(
                () -> {
                  try {
                    stream.feed(data);
                  } catch (BoltProtocolException e) {
                    broken.run();
                  }
                }));
    server.closeHandler(v -> broken.run());
    server.exceptionHandler(e -> broken.run());
    server.resume();
  }

  /** Sends one request, with the others of the same batch ({@link #batched}). */
  void send(Buffer body) {
    toServer.write(Chunks.frame(body));
  }

  /** Runs {@code handling}, sending the requests it makes as one write after it. */
  void batched(Runnable handling) {
    toServer.around(handling);
  }

  /** Sends the requests held so far, before the connection closes. */
  void flush() {
    toServer.flush();
  }

  /** Closes the server connection; safe from any thread. */
  void close() {
    server.close();
  }
}
