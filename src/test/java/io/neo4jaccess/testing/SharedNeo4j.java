package io.neo4jaccess.testing;

import org.neo4j.driver.AuthTokens;
import org.neo4j.driver.Driver;
import org.neo4j.driver.GraphDatabase;
import org.neo4j.harness.Neo4j;

/**
 * Two real Neo4j 5.26 Community servers (neo4j-harness, in-process, auth on) shared by every test
 * in the JVM, laid out as in production: the target, on which jobs get users ({@link #server()}),
 * and the broker's state store, a server of its own that no job user exists on ({@link
 * #stateServer()}). The first start costs seconds, so each starts once.
 */
public final class SharedNeo4j {

  public static final String ADMIN_PASSWORD = "admin-password-for-tests";
  public static final String STATE_PASSWORD = "state-password-for-tests";
  private static Neo4j server;
  private static Driver admin;
  private static Neo4j stateServer;
  private static Driver stateAdmin;

  private SharedNeo4j() {}

  /** The target server. */
  public static synchronized Neo4j server() {
    if (server == null) {
      server = EmbeddedNeo4j.start(ADMIN_PASSWORD);
      admin = GraphDatabase.driver(server.boltURI(), AuthTokens.basic("neo4j", ADMIN_PASSWORD));
      closeAtExit(server, admin);
    }
    return server;
  }

  public static String boltUri() {
    return server().boltURI().toString();
  }

  /** An administrator driver on the target server, for assertions on users and their data. */
  public static Driver admin() {
    server();
    return admin;
  }

  /** The state store's server. */
  public static synchronized Neo4j stateServer() {
    if (stateServer == null) {
      stateServer = EmbeddedNeo4j.start(STATE_PASSWORD);
      stateAdmin =
          GraphDatabase.driver(stateServer.boltURI(), AuthTokens.basic("neo4j", STATE_PASSWORD));
      closeAtExit(stateServer, stateAdmin);
    }
    return stateServer;
  }

  public static String stateBoltUri() {
    return stateServer().boltURI().toString();
  }

  /** An administrator driver on the state store, for assertions on the state graph. */
  public static Driver stateAdmin() {
    stateServer();
    return stateAdmin;
  }

  private static void closeAtExit(Neo4j neo4j, Driver driver) {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  driver.close();
                  neo4j.close();
                }));
  }
}
