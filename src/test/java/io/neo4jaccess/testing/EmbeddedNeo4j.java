package io.neo4jaccess.testing;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.BoltConnectorInternalSettings;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.driver.AuthTokens;
import org.neo4j.driver.GraphDatabase;
import org.neo4j.driver.SessionConfig;
import org.neo4j.harness.Neo4j;
import org.neo4j.harness.Neo4jBuilder;
import org.neo4j.harness.Neo4jBuilders;

/**
 * A real Neo4j 5.26 Community server in this JVM (neo4j-harness), auth on and the administrator's
 * password set: the tests' shared servers, and the state store and target of the demo, the chaos
 * run and the benchmark, each a server of its own as in production.
 */
public final class EmbeddedNeo4j {

  private EmbeddedNeo4j() {}

  /** A server in a temporary directory, on a free port. */
  public static Neo4j start(String adminPassword) {
    return start(Neo4jBuilders.newInProcessBuilder(), adminPassword);
  }

  /**
   * A server keeping its files under {@code home}, on {@code port} of the loopback address (0: a
   * free one), set up as a gateway target should be: {@code LOAD CSV} cannot read its files.
   */
  public static Neo4j start(Path home, int port, String adminPassword) {
    return start(
        Neo4jBuilders.newInProcessBuilder(home)
            .withConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
            .withConfig(GraphDatabaseSettings.allow_file_urls, false),
        adminPassword);
  }

  private static Neo4j start(Neo4jBuilder builder, String adminPassword) {
    Neo4j neo4j =
        builder
            .withDisabledServer()
            .withConfig(GraphDatabaseSettings.auth_enabled, true)
            // Without this a shutdown waits ~10 s for Bolt's threads.
            .withConfig(BoltConnectorInternalSettings.thread_pool_shutdown_wait_time, Duration.ZERO)
            .build();
    try (var driver = GraphDatabase.driver(neo4j.boltURI(), AuthTokens.basic("neo4j", "neo4j"));
        var s = driver.session(SessionConfig.forDatabase("system"))) {
      s.run("ALTER CURRENT USER SET PASSWORD FROM 'neo4j' TO $p", Map.of("p", adminPassword))
          .consume();
    }
    return neo4j;
  }
}
