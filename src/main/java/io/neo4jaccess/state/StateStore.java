package io.neo4jaccess.state;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;
import org.neo4j.driver.Driver;
import org.neo4j.driver.Result;
import org.neo4j.driver.Session;
import org.neo4j.driver.Transaction;
import org.neo4j.driver.Value;
import org.neo4j.driver.exceptions.ClientException;
import org.neo4j.driver.exceptions.Neo4jException;
import org.neo4j.driver.exceptions.TransientException;

/**
 * The one way into the broker's state graph (quarkus-neo4j): sessions, transactions, schema, and
 * the mapping of failures. Explicit or auto-commit transactions, never the driver's retrying ones:
 * when the store is down the caller must learn it now ({@link StateUnavailable}) and answer 503;
 * only a write that Neo4j itself rolled back (a deadlock) runs once more. A constraint violation is
 * not an outage: it reaches the caller as the driver's {@link ClientException}, so that a
 * repository can read it as "already there".
 */
@ApplicationScoped
public class StateStore {

  /** The code Neo4j gives a uniqueness-constraint violation. */
  public static final String CONSTRAINT_VIOLATED =
      "Neo.ClientError.Schema.ConstraintValidationFailed";

  /**
   * The codes of transient errors with which Neo4j ends a transaction and rolls it back (a
   * deadlock, a lock it could not take): unlike {@code Neo.TransientError.General.*} (a database
   * that is unavailable), nothing is down.
   */
  private static final String TRANSIENT_TRANSACTION = "Neo.TransientError.Transaction.";

  private static final Logger LOG = Logger.getLogger(StateStore.class);

  /**
   * The effects registered by the work of the transaction this thread runs ({@link #afterCommit}).
   */
  private static final ThreadLocal<List<Runnable>> AFTER_COMMIT = new ThreadLocal<>();

  private static final Pattern SCHEMA_STATEMENT =
      Pattern.compile("CREATE (?:CONSTRAINT|INDEX) (\\w+) IF NOT EXISTS ");

  private final Driver driver;

  @Inject
  public StateStore(Driver driver) {
    this.driver = driver;
  }

  /**
   * The identity of the Neo4j DBMS holding the state graph: the id of its {@code system} database
   * ({@code dbms.info()}), where its users live. Two connections that answer the same id reach one
   * set of users, whatever host name or port each went through.
   */
  public String serverId() {
    return statement("CALL dbms.info() YIELD id RETURN id", Map.of(), r -> r.single().get("id"))
        .asString();
  }

  /**
   * Creates the constraints and indexes the store lacks. Each statement names what it creates and
   * is idempotent ({@code CREATE CONSTRAINT|INDEX <name> IF NOT EXISTS ...}); one {@code SHOW
   * INDEXES} (which lists a constraint's index under the constraint's name) tells which names
   * exist, so that a restart against an existing store runs one read instead of a schema
   * transaction per statement.
   */
  public void createSchema(List<String> statements) {
    Map<String, String> byName = new LinkedHashMap<>();
    statements.forEach(statement -> byName.put(schemaName(statement), statement));
    inSession(
        s -> {
          Set<String> existing =
              Set.copyOf(
                  s.run("SHOW INDEXES YIELD name RETURN collect(name) AS names")
                      .single()
                      .get("names")
                      .asList(Value::asString));
          byName.forEach(
              (name, statement) -> {
                if (!existing.contains(name)) {
                  s.run(statement).consume();
                }
              });
          return null;
        });
  }

  private static String schemaName(String statement) {
    Matcher m = SCHEMA_STATEMENT.matcher(statement);
    if (!m.lookingAt()) {
      throw new IllegalArgumentException("a schema statement must name what it creates");
    }
    return m.group(1);
  }

  /** Work in a read transaction. */
  public <T> T read(Function<Transaction, T> work) {
    return inTransaction(work, false);
  }

  /**
   * Work in a transaction that is rolled back when {@code work} returns, whatever it wrote: writes
   * run and are planned as they would be, and nothing is kept.
   */
  public <T> T rolledBack(Function<Transaction, T> work) {
    return inTransaction(work, false);
  }

  /**
   * Work in a write transaction, committed when {@code work} returns; run once more if Neo4j rolled
   * it back ({@link #onceMoreIfRolledBack}). What {@code work} reports of what it found goes
   * through {@link #afterCommit}, so that it is reported once.
   */
  public <T> T write(Function<Transaction, T> work) {
    return onceMoreIfRolledBack(() -> inTransaction(work, true));
  }

  /**
   * One statement in an auto-commit transaction: as atomic as an explicit one, in one round trip
   * instead of three (BEGIN, RUN, COMMIT). {@code read} takes what it needs from the result; the
   * result is consumed afterwards, because the commit's outcome arrives with the end of the stream.
   * Run once more if Neo4j rolled it back ({@link #onceMoreIfRolledBack}).
   */
  public <T> T statement(String query, Map<String, Object> params, Function<Result, T> read) {
    return onceMoreIfRolledBack(
        () ->
            inSession(
                s -> {
                  Result result = s.run(query, params);
                  T value = read.apply(result);
                  result.consume();
                  return value;
                }));
  }

  /** One statement whose result is not needed. */
  public void statement(String query, Map<String, Object> params) {
    statement(query, params, result -> null);
  }

  /**
   * Runs a statement that deletes at most {@code $n} records that expired before {@code $now} and
   * returns {@code deleted}: the shape of {@link Expiring#pruneExpired} for records with an expiry.
   *
   * @return how many were deleted
   */
  public long prune(String statement, Instant now, int limit) {
    return statement(
        statement,
        parameters("now", utc(now), "n", limit),
        result -> result.single().get("deleted").asLong());
  }

  /**
   * Runs {@code effect} (a log line, a metric) once the transaction this thread's work runs in has
   * committed, and never if it does not commit: work that {@link #write} runs again reports what it
   * found once, and work that fails reports nothing it did not keep.
   *
   * @throws IllegalStateException outside the work of a transaction
   */
  public void afterCommit(Runnable effect) {
    List<Runnable> effects = AFTER_COMMIT.get();
    if (effects == null) {
      throw new IllegalStateException("afterCommit outside a transaction's work");
    }
    effects.add(effect);
  }

  /**
   * Runs a write, and runs it once more when Neo4j ended its transaction with a transient
   * transaction error (a deadlock with another writer, for example): Neo4j has then rolled all of
   * it back. A webhook answered 503 for a deadlock is not sent again by GitLab, which pauses a hook
   * that fails; an exchange whose activation failed cannot be retried with the same token. A second
   * such error, and every other failure, is {@link StateUnavailable} as ever: an outage is reported
   * at once, never retried.
   */
  private static <T> T onceMoreIfRolledBack(Supplier<T> attempt) {
    try {
      return attempt.get();
    } catch (StateUnavailable e) {
      if (!(e.getCause() instanceof TransientException rolledBack)
          || rolledBack.code() == null
          || !rolledBack.code().startsWith(TRANSIENT_TRANSACTION)) {
        throw e;
      }
      LOG.infof("state write rolled back by Neo4j, run once more: code=%s", rolledBack.code());
      return attempt.get();
    }
  }

  private <T> T inTransaction(Function<Transaction, T> work, boolean commit) {
    List<Runnable> effects = new ArrayList<>();
    List<Runnable> enclosing = AFTER_COMMIT.get();
    AFTER_COMMIT.set(effects);
    T result;
    try {
      result =
          inSession(
              s -> {
                try (Transaction tx = s.beginTransaction()) {
                  T answer = work.apply(tx);
                  if (commit) {
                    tx.commit();
                  }
                  return answer;
                }
              });
    } finally {
      if (enclosing == null) {
        AFTER_COMMIT.remove();
      } else {
        AFTER_COMMIT.set(enclosing);
      }
    }
    if (commit) {
      effects.forEach(Runnable::run);
    }
    return result;
  }

  private <T> T inSession(Function<Session, T> work) {
    try (Session s = driver.session()) {
      return work.apply(s);
    } catch (ClientException e) {
      if (e.code() != null && e.code().startsWith("Neo.ClientError.Schema.")) {
        throw e;
      }
      throw new StateUnavailable(e);
    } catch (Neo4jException | IllegalStateException e) {
      throw new StateUnavailable(e);
    }
  }

  /** True when {@code e} is a uniqueness-constraint violation. */
  public static boolean constraintViolated(ClientException e) {
    return CONSTRAINT_VIOLATED.equals(e.code());
  }

  /** A parameter map that, unlike {@code Map.of}, accepts null values (absent optional claims). */
  public static Map<String, Object> parameters(Object... keysAndValues) {
    Map<String, Object> m = new HashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      m.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return m;
  }

  /** Times are stored as UTC date-times, so that Cypher compares and shows them as such. */
  public static ZonedDateTime utc(Instant i) {
    return i == null ? null : i.atZone(ZoneOffset.UTC);
  }

  public static Instant instant(Value v) {
    return v == null || v.isNull() ? null : v.asZonedDateTime().toInstant();
  }
}
