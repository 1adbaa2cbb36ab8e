package io.neo4jaccess.testing;

import java.time.Duration;
import java.util.Map;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnectorInternalSettings;
import org.neo4j.driver.AuthTokens;
import org.neo4j.driver.Driver;
import org.neo4j.driver.GraphDatabase;
import org.neo4j.driver.SessionConfig;
import org.neo4j.harness.Neo4j;
import org.neo4j.harness.Neo4jBuilders;

/**
 * One real Neo4j 5.26 Community server (neo4j-harness, in-process, auth on) shared by every test in
 * the JVM: the first start costs seconds, so it happens once.
 */
public final class SharedNeo4j {

  public static final String ADMIN_PASSWORD = "admin-password-for-tests";
  private static Neo4j server;
  private static Driver admin;

  private SharedNeo4j() {}

  public static synchronized Neo4j server() {
    if (server == null) {
      server =
          Neo4jBuilders.newInProcessBuilder()
              .withDisabledServer()
              .withConfig(GraphDatabaseSettings.auth_enabled, true)
              .withConfig(
                  BoltConnectorInternalSettings.thread_pool_shutdown_wait_time, Duration.ZERO)
              .build();
      try (var db = GraphDatabase.driver(server.boltURI(), AuthTokens.basic("neo4j", "neo4j"));
          var s = db.session(SessionConfig.forDatabase("system"))) {
        s.run("ALTER CURRENT USER SET PASSWORD FROM 'neo4j' TO $p", Map.of("p", ADMIN_PASSWORD))
            .consume();
      }
      admin = GraphDatabase.driver(server.boltURI(), AuthTokens.basic("neo4j", ADMIN_PASSWORD));
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    admin.close();
                    server.close();
                  }));
    }
    return server;
  }

  public static String boltUri() {
    return server().boltURI().toString();
  }

  /** An administrator driver for assertions: SHOW USERS, state-graph queries. */
  public static Driver admin() {
    server();
    return admin;
  }
}
