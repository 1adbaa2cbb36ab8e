package io.neo4jaccess.neo4j;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.neo4j.driver.Query;
import org.neo4j.driver.Session;
import org.neo4j.driver.Transaction;

/**
 * The administration commands that create and remove one job user, per edition. Only Enterprise has
 * roles, suspension and home databases (Neo4j Operations Manual, "Authentication and
 * authorization").
 *
 * <p>Neo4j's built-in roles apply to every database on the server, so granting {@code publisher}
 * for {@code database: analytics} would let the job write every database. On Enterprise the user
 * therefore gets a role of its own, named like the user, that holds the privileges of each granted
 * built-in role on the granted database only (the recipes of "Built-in roles and privileges", with
 * {@code *} replaced by that database), and the granted database as its home. The role is dropped
 * with the user. {@code admin} holds privileges on the whole DBMS that no database can scope, so no
 * grant may name it.
 */
final class UserStatements {

  /** Built-in roles whose privileges can be given on one database, least to most. */
  enum ScopedRole {
    READER(
        "ACCESS ON DATABASE %s",
        "MATCH {*} ON GRAPH %s", "SHOW CONSTRAINT ON DATABASE %s", "SHOW INDEX ON DATABASE %s"),
    EDITOR("WRITE ON GRAPH %s"),
    PUBLISHER("NAME MANAGEMENT ON DATABASE %s"),
    ARCHITECT("CONSTRAINT MANAGEMENT ON DATABASE %s", "INDEX MANAGEMENT ON DATABASE %s");

    /** What this role adds to the one below it; {@code %s} is the database. */
    private final List<String> added;

    ScopedRole(String... added) {
      this.added = List.of(added);
    }

    /** The privileges of this role and every role below it. */
    List<String> privileges() {
      List<String> all = new ArrayList<>();
      for (ScopedRole r : values()) {
        if (r.ordinal() <= ordinal()) {
          all.addAll(r.added);
        }
      }
      return all;
    }
  }

  /** The role names a grant may name on Enterprise. */
  static final Set<String> SCOPED_ROLES =
      Arrays.stream(ScopedRole.values())
          .map(r -> r.name().toLowerCase(Locale.ROOT))
          .collect(Collectors.toUnmodifiableSet());

  /** User and role names in backquotes; the broker's own names always have this form. */
  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z][A-Za-z0-9_]*");

  /** Neo4j's database naming rules: ASCII letters, digits, dots and dashes. */
  private static final Pattern DATABASE = Pattern.compile("[A-Za-z][A-Za-z0-9.-]*");

  private static final String CREATE_USER = "CREATE USER $u SET PASSWORD $p CHANGE NOT REQUIRED";
  private static final String DROP_USER = "DROP USER $u IF EXISTS";

  private final boolean enterprise;

  UserStatements(boolean enterprise) {
    this.enterprise = enterprise;
  }

  /**
   * Creates a user that can log in at once; on Enterprise with its home database and a role of its
   * own holding the granted roles' privileges on that database. Names that cannot be parameters
   * (database, role) are checked against plain identifier forms and quoted.
   */
  List<Query> create(String username, String password, String database, List<String> roles) {
    Map<String, Object> user = Map.of("u", username, "p", password);
    if (!enterprise) {
      return List.of(new Query(CREATE_USER, user));
    }
    String db = quoted(database, DATABASE);
    String role = quoted(username, IDENTIFIER);
    Set<String> privileges = new LinkedHashSet<>();
    roles.forEach(r -> privileges.addAll(scoped(r).privileges()));
    List<Query> statements = new ArrayList<>();
    statements.add(new Query(CREATE_USER + " SET HOME DATABASE " + db, user));
    statements.add(new Query("CREATE ROLE " + role));
    privileges.forEach(p -> statements.add(new Query("GRANT " + p.formatted(db) + " TO " + role)));
    statements.add(new Query("GRANT ROLE " + role + " TO $u", Map.of("u", username)));
    return statements;
  }

  /**
   * What ends a user's logins before its open sessions are ended: Enterprise suspends it, Community
   * (which cannot) drops it.
   */
  List<Query> cutOff(String username) {
    String statement = enterprise ? "ALTER USER $u IF EXISTS SET STATUS SUSPENDED" : DROP_USER;
    return List.of(new Query(statement, Map.of("u", username)));
  }

  /** What removes a user once its sessions are ended: on Enterprise the user and its role. */
  List<Query> remove(String username) {
    if (!enterprise) {
      return List.of();
    }
    return List.of(
        new Query(DROP_USER, Map.of("u", username)),
        new Query("DROP ROLE " + quoted(username, IDENTIFIER) + " IF EXISTS"));
  }

  /**
   * Sets a pooled login's password, then creates the login if it is missing. Each statement is
   * idempotent and runs on its own, so any replica may send them at any time. Gateway targets run
   * Community (Enterprise ones enforce roles themselves), so a pooled login needs no role.
   */
  static List<Query> keepPooledLogin(String username, String password) {
    Map<String, Object> user = Map.of("u", username, "p", password);
    return List.of(
        new Query("ALTER USER $u IF EXISTS SET PASSWORD $p CHANGE NOT REQUIRED", user),
        new Query("CREATE USER $u IF NOT EXISTS SET PASSWORD $p CHANGE NOT REQUIRED", user));
  }

  private static ScopedRole scoped(String role) {
    if (!SCOPED_ROLES.contains(role)) {
      throw new IllegalArgumentException("role cannot be scoped to one database");
    }
    return ScopedRole.valueOf(role.toUpperCase(Locale.ROOT));
  }

  private static String quoted(String name, Pattern form) {
    if (!form.matcher(name).matches()) {
      throw new IllegalArgumentException("not a plain name");
    }
    return "`" + name + "`";
  }

  /** Sends statements on {@code system}: one auto-commits; several go in one transaction. */
  static void send(Session s, List<Query> queries) {
    if (queries.size() == 1) {
      s.run(queries.get(0)).consume();
      return;
    }
    try (Transaction tx = s.beginTransaction()) {
      queries.forEach(q -> tx.run(q).consume());
      tx.commit();
    }
  }
}
