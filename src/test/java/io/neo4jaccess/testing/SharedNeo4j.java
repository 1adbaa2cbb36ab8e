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
  private static Started target;
  private static Started state;

  private SharedNeo4j() {}

  /** A running server and an administrator driver on it; both end with the JVM. */
  private record Started(Neo4j neo4j, Driver admin) {
    static Started start(String adminPassword) {
      Neo4j neo4j = EmbeddedNeo4j.start(adminPassword);
      Driver admin =
          GraphDatabase.driver(neo4j.boltURI(), AuthTokens.basic("neo4j", adminPassword));
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    admin.close();
                    neo4j.close();
                  }));
      return new Started(neo4j, admin);
    }
  }

  private static synchronized Started target() {
    if (target == null) {
      target = Started.start(ADMIN_PASSWORD);
    }
    return target;
  }

  private static synchronized Started state() {
    if (state == null) {
      state = Started.start(STATE_PASSWORD);
    }
    return state;
  }

  /** The target server. */
  public static Neo4j server() {
    return target().neo4j();
  }

  public static String boltUri() {
    return server().boltURI().toString();
  }

  /** An administrator driver on the target server, for assertions on users and their data. */
  public static Driver admin() {
    return target().admin();
  }

  /** The state store's server. */
  public static Neo4j stateServer() {
    return state().neo4j();
  }

  public static String stateBoltUri() {
    return stateServer().boltURI().toString();
  }

  /** An administrator driver on the state store, for assertions on the state graph. */
  public static Driver stateAdmin() {
    return state().admin();
  }
}
