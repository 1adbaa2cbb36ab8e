package io.neo4jaccess.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A TCP forwarder on a fixed loopback port that a test can take down and bring back, so that a
 * Neo4j target really becomes unreachable (connections refused, open ones cut) with no mock in the
 * driver. {@link #down()} closes the listening socket and every forwarded connection; {@link #up()}
 * listens on the same port again.
 */
public final class FlakyTcpProxy implements AutoCloseable {

  private final InetSocketAddress upstream;
  private final int port;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final ExecutorService pool =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "flaky-proxy");
            t.setDaemon(true);
            return t;
          });
  private ServerSocket server;

  private FlakyTcpProxy(InetSocketAddress upstream, int port) {
    this.upstream = upstream;
    this.port = port;
  }

  /** Starts forwarding from a free loopback port to {@code host:upstreamPort}. */
  public static FlakyTcpProxy start(String host, int upstreamPort) {
    try (ServerSocket probe = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      FlakyTcpProxy proxy =
          new FlakyTcpProxy(new InetSocketAddress(host, upstreamPort), probe.getLocalPort());
      probe.close();
      proxy.up();
      return proxy;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public int port() {
    return port;
  }

  public synchronized boolean isUp() {
    return server != null && !server.isClosed();
  }

  /** Listens again on the same port. */
  public synchronized void up() {
    if (isUp()) {
      return;
    }
    try {
      ServerSocket s = new ServerSocket();
      s.setReuseAddress(true);
      s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
      server = s;
      pool.execute(() -> accept(s));
    } catch (IOException e) {
      throw new IllegalStateException("cannot listen on " + port + " again", e);
    }
  }

  /** Refuses new connections and cuts every open one. */
  public synchronized void down() {
    closeQuietly(server);
    for (Socket s : open) {
      closeQuietly(s);
    }
    open.clear();
  }

  private void accept(ServerSocket s) {
    while (!s.isClosed()) {
      try {
        Socket client = s.accept();
        Socket target = new Socket();
        target.connect(upstream, 2000);
        open.add(client);
        open.add(target);
        pool.execute(() -> pipe(client, target));
        pool.execute(() -> pipe(target, client));
      } catch (IOException e) {
        // closed by down(), or the upstream refused: the client sees its connection end
      }
    }
  }

  private void pipe(Socket from, Socket to) {
    byte[] buf = new byte[16 * 1024];
    try (InputStream in = from.getInputStream();
        OutputStream out = to.getOutputStream()) {
      int n;
      while ((n = in.read(buf)) >= 0) {
        out.write(buf, 0, n);
        out.flush();
      }
    } catch (IOException e) {
      // one side went away
    } finally {
      closeQuietly(from);
      closeQuietly(to);
      open.remove(from);
      open.remove(to);
    }
  }

  private static void closeQuietly(java.io.Closeable c) {
    if (c != null) {
      try {
        c.close();
      } catch (IOException e) {
        // nothing to do
      }
    }
  }

  @Override
  public void close() {
    down();
    pool.shutdownNow();
  }
}
