package io.neo4jaccess.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.List;
import org.neo4j.driver.AuthToken;
import org.neo4j.driver.Config;
import org.neo4j.driver.Driver;
import org.neo4j.driver.GraphDatabase;

/**
 * The reference for what any proxy hop costs on this machine: {@code socat} relaying TCP to Neo4j's
 * Bolt port, a separate process per connection that copies bytes and nothing else. The gateway's
 * rows are read against it as well as against direct Bolt: what the relay adds, the machine adds to
 * every hop; what the gateway adds beyond it is the gateway's own. Without {@code socat} on the
 * PATH the relay rows are left out.
 */
final class Relay implements AutoCloseable {

  private final Process process;
  private final Driver driver;

  private Relay(Process process, Driver driver) {
    this.process = process;
    this.driver = driver;
  }

  /** A relay to {@code neo4j} and a driver through it, or null when there is no socat. */
  static Relay start(URI neo4j, AuthToken auth, Config config) {
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException("no free port for the relay", e);
    }
    Process process;
    try {
      process =
          new ProcessBuilder(
                  List.of(
                      "socat",
                      "TCP-LISTEN:" + port + ",bind=127.0.0.1,reuseaddr,fork,nodelay",
                      "TCP:" + neo4j.getHost() + ":" + neo4j.getPort() + ",nodelay"))
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
    } catch (IOException noSocat) {
      return null;
    }
    awaitListening(port, process);
    return new Relay(process, GraphDatabase.driver("bolt://127.0.0.1:" + port, auth, config));
  }

  Driver driver() {
    return driver;
  }

  @Override
  public void close() {
    driver.close();
    process.descendants().forEach(ProcessHandle::destroy);
    process.destroy();
  }

  private static void awaitListening(int port, Process process) {
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (System.nanoTime() < deadline && process.isAlive()) {
      try (Socket probe = new Socket("127.0.0.1", port)) {
        return;
      } catch (IOException notYet) {
        Thread.onSpinWait();
      }
    }
    process.destroy();
    throw new IllegalStateException("socat did not listen on " + port);
  }
}
