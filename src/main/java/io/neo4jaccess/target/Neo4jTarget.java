package io.neo4jaccess.target;

import io.neo4jaccess.policy.TargetLimits;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;
import org.neo4j.driver.AuthTokens;
import org.neo4j.driver.Config;
import org.neo4j.driver.Driver;
import org.neo4j.driver.GraphDatabase;
import org.neo4j.driver.Session;
import org.neo4j.driver.SessionConfig;
import org.neo4j.driver.Values;
import org.neo4j.driver.exceptions.Neo4jException;

/**
 * One Neo4j server on which job users are created and revoked. User management runs on the {@code
 * system} database with the configured administrator.
 */
public final class Neo4jTarget implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(Neo4jTarget.class);
  private static final Pattern ROLE = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,63}");
  private static final SessionConfig SYSTEM = SessionConfig.forDatabase("system");

  private final String name;
  private final TargetConfig.Target config;
  private final Driver driver;
  private volatile Edition edition;

  /** What the server can enforce: only Enterprise has roles and suspension (FACTS.md §7). */
  public record Edition(String name, String version) {
    public boolean enterprise() {
      return "enterprise".equalsIgnoreCase(name);
    }
  }

  Neo4jTarget(String name, TargetConfig.Target config, String adminPassword) {
    this.name = name;
    this.config = config;
    this.driver =
        GraphDatabase.driver(
            config.uri(),
            AuthTokens.basic(config.adminUser(), adminPassword),
            Config.builder().withMaxConnectionPoolSize(64).build());
  }

  public String name() {
    return name;
  }

  public String clientUri() {
    return config.clientUri().orElse(config.uri());
  }

  public String userPrefix() {
    return config.userPrefix();
  }

  /** Reads edition and version with {@code dbms.components()}; called at start. */
  public Edition detectEdition() {
    try (Session s = driver.session(SYSTEM)) {
      var r =
          s.run(
                  "CALL dbms.components() YIELD name, versions, edition RETURN versions[0] AS v, edition")
              .single();
      edition = new Edition(r.get("edition").asString(), r.get("v").asString());
      return edition;
    }
  }

  public Edition edition() {
    return edition;
  }

  public TargetLimits limits() {
    return new TargetLimits(config.maxTtl(), edition.enterprise(), config.database());
  }

  /** Creates a user that can log in at once and, on Enterprise, holds exactly the given roles. */
  public void createUser(String username, String password, List<String> roles) {
    try (Session s = driver.session(SYSTEM)) {
      // Auto-commit, not a managed transaction: a failure must surface now, not after retries.
      s.run(
              "CREATE USER $u SET PASSWORD $p CHANGE NOT REQUIRED",
              Map.of("u", username, "p", password))
          .consume();
      if (edition.enterprise()) {
        for (String role : roles) {
          s.run(grantRoleStatement(role), Map.of("u", username)).consume();
        }
      }
    }
  }

  /**
   * The statement granting one role. Role names cannot be parameters in administration commands, so
   * they are checked against Neo4j's plain identifier form and quoted.
   */
  static String grantRoleStatement(String role) {
    if (!ROLE.matcher(role).matches()) {
      throw new IllegalArgumentException("not a plain role name");
    }
    return "GRANT ROLE `" + role + "` TO $u";
  }

  /** The statements that cut a user off, in order (FACTS.md §7, DESIGN.md revocation order). */
  static List<String> revocationStatements(boolean enterprise) {
    String suspend = "ALTER USER $u IF EXISTS SET STATUS SUSPENDED";
    String drop = "DROP USER $u IF EXISTS";
    return enterprise ? List.of(suspend, drop) : List.of(drop);
  }

  /**
   * Cuts a user off: Enterprise suspends first; both then end the user's transactions and
   * connections — {@code DROP USER} alone leaves open connections working — and drop the user.
   * Idempotent: revoking a user that no longer exists succeeds.
   */
  public void revokeUser(String username) {
    try (Session s = driver.session(SYSTEM)) {
      List<String> statements = revocationStatements(edition.enterprise());
      if (edition.enterprise()) {
        s.run(statements.get(0), Map.of("u", username)).consume();
        endSessions(username);
        s.run(statements.get(1), Map.of("u", username)).consume();
      } else {
        s.run(statements.get(0), Map.of("u", username)).consume();
        endSessions(username);
      }
    }
  }

  /**
   * Ends the user's transactions and connections. These listings cannot run on {@code system} (no
   * projections there); from any user database they cover the whole server.
   */
  private void endSessions(String username) {
    try (Session s = driver.session(SessionConfig.forDatabase(config.database()))) {
      List<String> transactions =
          s.run(
                  "SHOW TRANSACTIONS YIELD transactionId, username WHERE username = $u"
                      + " RETURN collect(transactionId) AS ids",
                  Map.of("u", username))
              .single()
              .get("ids")
              .asList(v -> v.asString());
      if (!transactions.isEmpty()) {
        s.run("TERMINATE TRANSACTIONS $ids", Map.of("ids", transactions)).consume();
      }
      List<String> connections =
          s.run(
                  "CALL dbms.listConnections() YIELD connectionId, username WHERE username = $u"
                      + " RETURN collect(connectionId) AS ids",
                  Map.of("u", username))
              .single()
              .get("ids")
              .asList(v -> v.asString());
      if (!connections.isEmpty()) {
        s.run("CALL dbms.killConnections($ids)", Values.parameters("ids", connections)).consume();
      }
    }
  }

  /** Users on this server that carry the broker's prefix. */
  public List<String> brokerUsers() {
    try (Session s = driver.session(SYSTEM)) {
      return s.run(
              "SHOW USERS YIELD user WHERE user STARTS WITH $p RETURN user",
              Map.of("p", config.userPrefix()))
          .list(r -> r.get("user").asString());
    }
  }

  /** True when the server answers as the administrator. */
  public boolean reachable() {
    try {
      driver.verifyConnectivity();
      return true;
    } catch (Neo4jException | IllegalStateException e) {
      LOG.debugf("target unreachable: target=%s reason=%s", name, e.getMessage());
      return false;
    }
  }

  @Override
  public void close() {
    driver.close();
  }
}
