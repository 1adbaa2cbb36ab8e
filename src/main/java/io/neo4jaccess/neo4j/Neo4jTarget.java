package io.neo4jaccess.neo4j;

import io.neo4jaccess.policy.TargetLimits;
import io.neo4jaccess.support.GroupCommit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jboss.logging.Logger;
import org.neo4j.driver.AuthTokens;
import org.neo4j.driver.Config;
import org.neo4j.driver.Driver;
import org.neo4j.driver.GraphDatabase;
import org.neo4j.driver.Query;
import org.neo4j.driver.Session;
import org.neo4j.driver.SessionConfig;
import org.neo4j.driver.exceptions.ClientException;
import org.neo4j.driver.exceptions.Neo4jException;

/**
 * One Neo4j server on which job users are created and revoked. User management runs on the {@code
 * system} database with the configured administrator.
 */
public final class Neo4jTarget implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(Neo4jTarget.class);

  /**
   * What every pooled login's name starts with. A user prefix has at most 16 characters, so no job
   * user's name starts with these 18: a pooled login is never taken for a job's.
   */
  public static final String POOLED_LOGIN_PREFIX = "neo4j_access_pool_";

  private static final SessionConfig SYSTEM = SessionConfig.forDatabase("system");

  /** Most users one transaction creates. */
  private static final int MAX_BATCH = 64;

  private final String name;
  private final TargetConfig.Target config;
  private final Driver driver;
  private volatile Edition edition;
  private volatile UserStatements statements;
  private final GroupCommit<NewUser, Void> creating =
      new GroupCommit<>(MAX_BATCH, this::create, user -> create(List.of(user)).get(0));

  /**
   * What the server can enforce: only Enterprise has roles and suspension; on Community every user
   * is an administrator (Neo4j Operations Manual, "Authentication and authorization").
   */
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
            Config.builder()
                .withMaxConnectionPoolSize(64)
                .withLogging(DriverLogging.WITHOUT_MESSAGES)
                .build());
  }

  public String name() {
    return name;
  }

  /** The URI jobs connect to directly; a gateway target's jobs get the gateway's instead. */
  public String clientUri() {
    return config.clientUri().orElse(config.uri());
  }

  /** Whether jobs reach this target only through the broker's Bolt gateway. */
  public boolean gateway() {
    return config.gateway().enabled();
  }

  /** Whether the gateway runs jobs' sessions on the broker's pooled logins (no user per job). */
  public boolean pooled() {
    return gateway() && config.gateway().upstream() == TargetConfig.Upstream.POOLED;
  }

  /** How long a pooled login's password lasts before the broker sets the next. */
  public Duration pooledPasswordRotation() {
    return config.gateway().pooledPasswordRotation();
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
      statements = new UserStatements(edition.enterprise());
      return edition;
    }
  }

  /**
   * The identity of the Neo4j DBMS behind {@link #clientUri()}: the id of its {@code system}
   * database ({@code dbms.info()}), where the users jobs get live. The same id through two URIs
   * means one server, whatever host name, alias or port forward each URI names.
   */
  public String serverId() {
    try (Session s = driver.session(SYSTEM)) {
      return s.run("CALL dbms.info() YIELD id RETURN id").single().get("id").asString();
    }
  }

  /**
   * The server's values of the named settings ({@code dbms.listConfig()}, which Community has),
   * read as the administrator; a setting the server does not know is absent.
   */
  public Map<String, String> settings(Collection<String> names) {
    // Filtering a procedure's rows is not allowed on system.
    try (Session s = driver.session(SessionConfig.forDatabase(config.database()))) {
      Map<String, String> values = new LinkedHashMap<>();
      s.run(
              "CALL dbms.listConfig() YIELD name, value WHERE name IN $names RETURN name, value",
              Map.of("names", List.copyOf(names)))
          .forEachRemaining(r -> values.put(r.get("name").asString(), r.get("value").asString("")));
      return values;
    }
  }

  public Edition edition() {
    return edition;
  }

  public TargetLimits limits() {
    return limits(
        edition.enterprise(), config.maxTtl(), config.database(), config.gateway().enabled());
  }

  /**
   * What grants on a target of this edition must respect: the same for a connected target as for
   * one only described ({@code policy check} without a broker).
   */
  public static TargetLimits limits(
      boolean enterprise, Duration maxTtl, String database, boolean gateway) {
    return new TargetLimits(
        maxTtl, enterprise ? UserStatements.SCOPED_ROLES : Set.of(), database, gateway);
  }

  /**
   * Creates a user that can log in at once and, on Enterprise, holds the given roles' privileges on
   * {@code database} only ({@link UserStatements}). The users of concurrent exchanges are created
   * in one transaction on {@code system} (GroupCommit); this returns once this user's is committed.
   */
  public void createUser(String username, String password, String database, List<String> roles) {
    creating.submit(new NewUser(username, password, database, List.copyOf(roles)));
  }

  /**
   * Plans the statement that creates such a user, without creating one ({@code EXPLAIN}), through
   * the code and connections {@link #createUser} uses: a rehearsal at start, so that the first job
   * does not pay for their first use.
   */
  public void rehearseCreateUser(
      String username, String password, String database, List<String> roles) {
    Query create = statements.create(username, password, database, roles).get(0);
    try (Session s = driver.session(SYSTEM)) {
      UserStatements.send(s, List.of(create.withText("EXPLAIN " + create.text())));
    }
  }

  /** A user to create; its password lives only as long as the exchange that asked for it. */
  private record NewUser(String username, String password, String database, List<String> roles) {
    @Override
    public String toString() {
      return "NewUser[" + username + "]";
    }
  }

  /**
   * Creates the users, with their roles, in one transaction: all exist, with their privileges, or
   * none does. A lone user without roles (always so on Community) is one auto-commit statement, a
   * round trip instead of three. Never a managed transaction: a failure must surface now, not after
   * the driver's retries.
   */
  private List<Void> create(List<NewUser> users) {
    List<Query> batch = new ArrayList<>();
    for (NewUser user : users) {
      batch.addAll(
          statements.create(user.username(), user.password(), user.database(), user.roles()));
    }
    try (Session s = driver.session(SYSTEM)) {
      UserStatements.send(s, batch);
    }
    return Collections.nCopies(users.size(), null);
  }

  /**
   * Cuts users off (suspended on Enterprise, sessions ended, dropped with the role of their own:
   * {@link UserRevocation}), but only users this broker may have created here: a name without this
   * target's prefix is refused before any statement runs, whatever asked for it (a lease in the
   * state store, however it got there, or a bug), and reported as {@link NotBrokerUser}.
   *
   * @return the users that were <em>not</em> cut off, with the reason; every other user is gone and
   *     its transactions and connections ended
   */
  public Map<String, RuntimeException> revokeUsers(Collection<String> usernames) {
    Map<String, RuntimeException> failed = new LinkedHashMap<>();
    List<String> users = new ArrayList<>();
    for (String user : new LinkedHashSet<>(usernames)) {
      if (user.startsWith(config.userPrefix()) && !user.startsWith(POOLED_LOGIN_PREFIX)) {
        users.add(user);
      } else {
        failed.put(user, new NotBrokerUser(name));
      }
    }
    if (!users.isEmpty()) {
      UserRevocation.revoke(
          driver, statements, edition.enterprise(), config.database(), users, failed);
    }
    return failed;
  }

  /** Users on this server that carry the broker's prefix: job users, never the pooled logins. */
  public List<String> brokerUsers() {
    try (Session s = driver.session(SYSTEM)) {
      return s.run(
              "SHOW USERS YIELD user WHERE user STARTS WITH $p AND NOT user STARTS WITH $pool"
                  + " RETURN user",
              Map.of("p", config.userPrefix(), "pool", POOLED_LOGIN_PREFIX))
          .list(r -> r.get("user").asString());
    }
  }

  /**
   * Makes a pooled login exist with this password: created if missing, its password set otherwise.
   * Idempotent, so any replica may run it at any time; connections open on the login keep working.
   */
  public void keepPooledLogin(String user, String password) {
    if (!user.startsWith(POOLED_LOGIN_PREFIX)) {
      throw new IllegalArgumentException("not a pooled login");
    }
    try (Session s = driver.session(SYSTEM)) {
      for (Query statement : UserStatements.keepPooledLogin(user, password)) {
        try {
          s.run(statement).consume();
        } catch (ClientException e) {
          // Setting the password it already has is refused: another replica set this period's.
          if (!String.valueOf(e.getMessage()).contains("cannot be the same")) {
            throw e;
          }
        }
      }
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
