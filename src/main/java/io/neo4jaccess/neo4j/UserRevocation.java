package io.neo4jaccess.neo4j;

import io.neo4jaccess.support.GroupCommit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.neo4j.driver.Driver;
import org.neo4j.driver.Query;
import org.neo4j.driver.Session;
import org.neo4j.driver.SessionConfig;
import org.neo4j.driver.Values;

/**
 * How users are cut off on one server, in the order Neo4j's security model needs: Enterprise
 * suspends them first; both then end their transactions and connections ({@code DROP USER} alone
 * leaves open connections working) and drop them (on Enterprise with the role of their own). Which
 * users may be cut off at all is decided before, by {@link Neo4jTarget#revokeUsers}.
 */
final class UserRevocation {

  private UserRevocation() {}

  /**
   * Cuts {@code users} off. One listing of transactions and one of connections serves all of them
   * (and one terminate, one kill). The users are dropped (and, on Enterprise, suspended) in one
   * transaction, falling back to one transaction per user when that fails, so that one user's
   * failure fails only that user; a failure to end the sessions fails every user of the batch,
   * whose sessions may still be open. Idempotent: revoking a user that no longer exists succeeds.
   *
   * @param failed receives the users that were <em>not</em> cut off, with the reason
   */
  static void revoke(
      Driver driver,
      UserStatements statements,
      boolean enterprise,
      String database,
      List<String> users,
      Map<String, RuntimeException> failed) {
    try (Session s = driver.session(SessionConfig.forDatabase("system"))) {
      // Enterprise: suspend; Community: drop. Either way no new login from here on.
      List<String> cut = runEach(s, statements::cutOff, users, failed);
      try {
        endSessions(driver, database, cut);
      } catch (RuntimeException e) {
        cut.forEach(u -> failed.put(u, e));
        return;
      }
      if (enterprise) {
        runEach(s, statements::remove, cut, failed);
      }
    } catch (RuntimeException e) {
      // The session itself could not be had: nobody was cut off for sure.
      users.forEach(u -> failed.putIfAbsent(u, e));
    }
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
              UserStatements.send(
                  s, batch.stream().flatMap(u -> statements.apply(u).stream()).toList());
              return Collections.nCopies(batch.size(), null);
            },
            u -> {
              UserStatements.send(s, statements.apply(u));
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
  private static void endSessions(Driver driver, String database, List<String> usernames) {
    if (usernames.isEmpty()) {
      return;
    }
    try (Session s = driver.session(SessionConfig.forDatabase(database))) {
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
}
