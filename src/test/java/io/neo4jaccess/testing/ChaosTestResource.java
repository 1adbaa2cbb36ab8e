package io.neo4jaccess.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.BoltConnectorInternalSettings;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.driver.Driver;
import org.neo4j.driver.GraphDatabase;
import org.neo4j.driver.Session;
import org.neo4j.harness.Neo4j;
import org.neo4j.harness.Neo4jBuilders;

/**
 * A broker whose state store can be stopped and started again on the same port and the same data
 * directory (a restart, not a new server), and whose GitLab is a stand-in of its own that tests can
 * make fail (500, 429, slow) without disturbing other classes. The {@code demo} target stays on the
 * shared server.
 */
public class ChaosTestResource implements QuarkusTestResourceLifecycleManager {

  private static Neo4j state;
  private static int statePort;
  private static Path stateDir;
  private static GitLabStandIn gitlab;

  public static synchronized GitLabStandIn gitlab() {
    if (gitlab == null) {
      gitlab = GitLabStandIn.start();
    }
    return gitlab;
  }

  /** Stops the state store as a crash of its server would: connections drop, data stays. */
  public static synchronized void stopState() {
    if (state == null) {
      return;
    }
    state.close();
    state = null;
  }

  /** Starts the state store again on the same port with the same data. */
  public static synchronized void startState() {
    if (state != null) {
      return;
    }
    state =
        Neo4jBuilders.newInProcessBuilder(stateDir.resolve("home"))
            .withDisabledServer()
            .withConfig(GraphDatabaseSettings.auth_enabled, false)
            .withConfig(GraphDatabaseSettings.data_directory, stateDir.resolve("data"))
            .withConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", statePort))
            .withConfig(BoltConnectorInternalSettings.thread_pool_shutdown_wait_time, Duration.ZERO)
            .build();
  }

  public static String stateUri() {
    return "bolt://127.0.0.1:" + statePort;
  }

  /** Node counts of the state graph, as {@link StateProbe#stateCounts()} reads the shared one. */
  public static Map<String, Long> stateCounts() {
    try (Driver d = GraphDatabase.driver(stateUri());
        Session s = d.session()) {
      return s.run(
              "RETURN COUNT { (:Lease) } AS leases, COUNT { (:UsedJti) } AS jtis,"
                  + " COUNT { (:Decision) } AS decisions")
          .single()
          .asMap(v -> v.asLong());
    }
  }

  @Override
  public Map<String, String> start() {
    try (ServerSocket free = new ServerSocket(0)) {
      statePort = free.getLocalPort();
      stateDir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "chaos-state");
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    startState();
    Map<String, String> c = new HashMap<>(new BrokerTestResource().start());
    c.put("quarkus.neo4j.uri", stateUri());
    c.put("broker.gitlab.instances.main.url", gitlab().url());
    // A GitLab that hangs must cost an exchange one second, not the default three.
    c.put("broker.gitlab.api-timeout", "1s");
    return c;
  }

  @Override
  public void stop() {
    if (state != null) {
      state.close();
    }
    gitlab.close();
  }
}
