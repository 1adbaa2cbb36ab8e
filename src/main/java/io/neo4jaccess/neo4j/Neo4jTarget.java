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
import java.util.function.Function;
import org.jboss.logging.Logger;
import org.neo4j.driver.AuthTokens;
import org.neo4j.driver.Config;
import org.neo4j.driver.Driver;
import org.neo4j.driver.GraphDatabase;
import org.neo4j.driver.Query;
import org.neo4j.driver.Session;
import org.neo4j.driver.SessionConfig;
import org.neo4j.driver.Transaction;
import org.neo4j.driver.Values;
import org.neo4j.driver.exceptions.Neo4jException;

/**
 * One Neo4j server on which job users are created and revoked. User management runs on the {@code
 * system} database with the configured administrator.
 */
public final class Neo4jTarget implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(Neo4jTarget.class);
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
      statements = new UserStatements(edition.enterprise());
      return edition;
    }
  }

  public Edition edition() {
    return edition;
  }

  public TargetLimits limits() {
    return limits(edition.enterprise(), config.maxTtl(), config.database());
  }

  /**
   * What grants on a target of this edition must respect: the same for a connected target as for
   * one only described ({@code policy check} without a broker).
   */
  public static TargetLimits limits(boolean enterprise, Duration maxTtl, String database) {
    return new TargetLimits(maxTtl, enterprise ? UserStatements.SCOPED_ROLES : Set.of(), database);
  }

  /**
   * Creates a user that can log in at once and, on Enterprise, holds the given roles' privileges on
   * {@code database} only ({@link UserStatements}). The users of concurrent exchanges are created
   * in one transaction on {@code system} (GroupCommit); this returns once this user's is committed.
   */
  public void createUser(String username, String password, String database, List<String> roles) {
    creating.submit(new NewUser(username, password, database, List.copyOf(roles)));
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
      run(s, batch);
    }
    return Collections.nCopies(users.size(), null);
  }

  /** One statement auto-commits; several go in one transaction. */
  private static void run(Session s, List<Query> queries) {
    if (queries.size() == 1) {
      s.run(queries.get(0)).consume();
      return;
    }
    try (Transaction tx = s.beginTransaction()) {
      queries.forEach(q -> tx.run(q).consume());
      tx.commit();
    }
  }

  /**
   * Cuts users off: Enterprise suspends them first; both then end their transactions and
   * connections — {@code DROP USER} alone leaves open connections working — and drop them (on
   * Enterprise with the role of their own). One listing of transactions and one of connections
   * serves all of them (and one terminate, one kill). The users are dropped (and, on Enterprise,
   * suspended) in one transaction, falling back to one transaction per user when that fails, so
   * that one user's failure fails only that user; a failure to end the sessions fails every user of
   * the batch, whose sessions may still be open. Idempotent: revoking a user that no longer exists
   * succeeds.
   *
   * @return the users that were <em>not</em> cut off, with the reason; every other user is gone and
   *     its transactions and connections ended
   */
  public Map<String, RuntimeException> revokeUsers(Collection<String> usernames) {
    Map<String, RuntimeException> failed = new LinkedHashMap<>();
    List<String> users = List.copyOf(new LinkedHashSet<>(usernames));
    if (users.isEmpty()) {
      return failed;
    }
    try (Session s = driver.session(SYSTEM)) {
      // Enterprise: suspend; Community: drop. Either way no new login from here on.
      List<String> cut = runEach(s, statements::cutOff, users, failed);
      try {
        endSessions(cut);
      } catch (RuntimeException e) {
        cut.forEach(u -> failed.put(u, e));
        return failed;
      }
      if (edition.enterprise()) {
        runEach(s, statements::remove, cut, failed);
      }
    } catch (RuntimeException e) {
      // The session itself could not be had: nobody was cut off for sure.
      users.forEach(u -> failed.putIfAbsent(u, e));
    }
    return failed;
  }

  /**
   * Runs each user's statements; returns the users they succeeded for. All users go in one
   * transaction on {@code system} first: one commit instead of one per user, about five times
   * cheaper per user (bench/RESULTS.md, run 4); if that fails, each user on its own ({@link
   * GroupCommit#togetherOrEach}), so that one user's failure fails only that user (the statements
   * are idempotent, so an ambiguous commit is safe to redo).
   */
  private static List<String> runEach(
      Session s,
      Function<String, List<Query>> statements,
      List<String> users,
      Map<String, RuntimeException> failed) {
    List<GroupCommit.Outcome<Void>> outcomes =
        GroupCommit.togetherOrEach(
            users,
            batch -> {
              run(s, batch.stream().flatMap(u -> statements.apply(u).stream()).toList());
              return Collections.nCopies(batch.size(), null);
            },
            u -> {
              run(s, statements.apply(u));
              return null;
            });
    List<String> done = new ArrayList<>(users.size());
    for (int i = 0; i < users.size(); i++) {
      RuntimeException failure = outcomes.get(i).failure();
      if (failure == null) {
        done.add(users.get(i));
      } else {
        failed.put(users.get(i), failure);
      }
    }
    return done;
  }

  /**
   * Ends the users' transactions and connections. These listings cannot run on {@code system} (no
   * projections there); from any user database they cover the whole server.
   */
  private void endSessions(List<String> usernames) {
    if (usernames.isEmpty()) {
      return;
    }
    try (Session s = driver.session(SessionConfig.forDatabase(config.database()))) {
      List<String> transactions =
          s.run(
                  "SHOW TRANSACTIONS YIELD transactionId, username WHERE username IN $u"
                      + " RETURN collect(transactionId) AS ids",
                  Map.of("u", usernames))
              .single()
              .get("ids")
              .asList(v -> v.asString());
      if (!transactions.isEmpty()) {
        s.run("TERMINATE TRANSACTIONS $ids", Map.of("ids", transactions)).consume();
      }
      List<String> connections =
          s.run(
                  "CALL dbms.listConnections() YIELD connectionId, username WHERE username IN $u"
                      + " RETURN collect(connectionId) AS ids",
                  Map.of("u", usernames))
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
