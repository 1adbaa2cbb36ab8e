package io.neo4jaccess.lease;

import io.neo4jaccess.support.GroupCommit;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.neo4j.driver.Driver;
import org.neo4j.driver.Record;
import org.neo4j.driver.Result;
import org.neo4j.driver.Session;
import org.neo4j.driver.Transaction;
import org.neo4j.driver.Value;
import org.neo4j.driver.exceptions.ClientException;
import org.neo4j.driver.exceptions.Neo4jException;

/**
 * The broker's state as a graph: {@code (:Project)-[:RAN]->(:Pipeline)-[:HAS]->(:Job)-[:HOLDS]->
 * (:Lease)-[:ON]->(:Target)}, {@code (:Decision)-[:ABOUT]->(:Job)}, and used {@code jti}s. No
 * password is ever written. Explicit or auto-commit transactions, never the driver's retrying ones:
 * when the store is down the caller must learn it now and answer 503.
 */
@ApplicationScoped
public class LeaseStore {

  private static final List<String> SCHEMA =
      List.of(
          "CREATE CONSTRAINT lease_id IF NOT EXISTS FOR (n:Lease) REQUIRE n.id IS UNIQUE",
          "CREATE CONSTRAINT used_jti IF NOT EXISTS FOR (n:UsedJti) REQUIRE n.key IS UNIQUE",
          "CREATE CONSTRAINT project_key IF NOT EXISTS FOR (n:Project) REQUIRE n.key IS UNIQUE",
          "CREATE CONSTRAINT pipeline_key IF NOT EXISTS FOR (n:Pipeline) REQUIRE n.key IS UNIQUE",
          "CREATE CONSTRAINT job_key IF NOT EXISTS FOR (n:Job) REQUIRE n.key IS UNIQUE",
          "CREATE CONSTRAINT target_name IF NOT EXISTS FOR (n:Target) REQUIRE n.name IS UNIQUE",
          "CREATE CONSTRAINT decision_id IF NOT EXISTS FOR (n:Decision) REQUIRE n.id IS UNIQUE",
          "CREATE INDEX lease_state IF NOT EXISTS FOR (n:Lease) ON (n.state, n.expiresAt)",
          "CREATE INDEX lease_username IF NOT EXISTS FOR (n:Lease) ON (n.username)",
          "CREATE INDEX used_jti_expiry IF NOT EXISTS FOR (n:UsedJti) ON (n.expiresAt)");

  /** Most rows one exchange-step transaction takes: a batch of 64 rows stays small (KBs). */
  private static final int MAX_BATCH = 64;

  private final Driver driver;
  private final Clock clock;
  // The exchange's two writes, each committed together with concurrent exchanges' (GroupCommit).
  private final GroupCommit<Map<String, Object>, Boolean> issuing =
      new GroupCommit<>(MAX_BATCH, this::writeIssuing, this::writeIssuing);
  private final GroupCommit<String, Boolean> activating =
      new GroupCommit<>(MAX_BATCH, this::activate, id -> activate(List.of(id)).get(0));

  @Inject
  public LeaseStore(Driver driver, Clock clock) {
    this.driver = driver;
    this.clock = clock;
  }

  void createSchema(@Observes StartupEvent e) {
    try (Session s = driver.session()) {
      SCHEMA.forEach(statement -> s.run(statement).consume());
    }
  }

  /** What is recorded of one policy decision. */
  public record DecisionRecord(
      String id, Instant at, boolean allowed, String code, String rule, String traceJson) {}

  /** True when the token's {@code jti} was consumed by an earlier exchange. */
  public boolean jtiUsed(String instance, String jti) {
    return read(
        tx ->
            tx.run(
                    "MATCH (u:UsedJti {key: $k}) RETURN count(u) > 0 AS used",
                    Map.of("k", jtiKey(instance, jti)))
                .single()
                .get("used")
                .asBoolean());
  }

  /** Records a decision that issued nothing (a denial), linked to the job. */
  public void recordDecision(JobIdentity job, DecisionRecord decision) {
    writeStatement(
        "WITH $row AS row " + JOB_MERGE + "CREATE (d:Decision)-[:ABOUT]->(j) SET d = row.decision",
        Map.of("row", row(job, decision)),
        result -> null);
  }

  /**
   * Consumes the token's {@code jti} and writes the lease as {@code issuing} with its decision, in
   * one transaction, before any user exists: a crash from here on leaves a record to finish.
   *
   * @return false when the {@code jti} was already consumed (the uniqueness constraint decides, so
   *     two concurrent exchanges with one token never both get here)
   */
  public boolean beginIssuing(
      JobIdentity job, String jti, Instant tokenExpiry, Lease lease, DecisionRecord decision) {
    Map<String, Object> row = row(job, decision);
    row.put("jti", jtiKey(job.instance(), jti));
    row.put("jtiExpiry", utc(tokenExpiry));
    row.put("lease", leaseProperties(lease));
    row.put("target", lease.target());
    return issuing.submit(row);
  }

  /** All rows in one transaction; a replayed {@code jti} fails it, and each row goes alone. */
  private List<Boolean> writeIssuing(List<Map<String, Object>> rows) {
    writeStatement(BEGIN_ISSUING, Map.of("rows", rows), result -> null);
    return Collections.nCopies(rows.size(), true);
  }

  private boolean writeIssuing(Map<String, Object> row) {
    try {
      writeStatement(BEGIN_ISSUING, Map.of("rows", List.of(row)), result -> null);
      return true;
    } catch (ClientException e) {
      if (e.code().equals("Neo.ClientError.Schema.ConstraintValidationFailed")) {
        return false;
      }
      throw e;
    }
  }

  /**
   * Moves an issuing lease to active once its user exists.
   *
   * @return false when the lease is no longer {@code issuing}: the sweeper took it for abandoned
   *     (older than {@code stuck-grace}) and is dropping, or has dropped, its user
   */
  public boolean markActive(String leaseId) {
    return activating.submit(leaseId);
  }

  /** Gives a token back after an exchange that issued nothing usable, so the job can retry. */
  public void releaseJti(String instance, String jti) {
    writeStatement(
        "MATCH (u:UsedJti {key: $k}) DELETE u", Map.of("k", jtiKey(instance, jti)), result -> null);
  }

  /**
   * Marks a lease whose user could not be created (or was dropped again) and gives the token back,
   * so that the job can retry: only a successful exchange consumes a {@code jti}.
   */
  public void markFailed(String leaseId, String instance, String jti, String reason) {
    writeStatement(
        "MATCH (l:Lease {id: $id}) SET l.state = 'failed', l.revokedAt = $now,"
            + " l.revokeReason = $reason"
            + " WITH l OPTIONAL MATCH (u:UsedJti {key: $jti}) DELETE u",
        Map.of(
            "id",
            leaseId,
            "now",
            utc(clock.instant()),
            "reason",
            reason,
            "jti",
            jtiKey(instance, jti)),
        result -> null);
  }

  /**
   * Moves the issuing ones of the leases to active; answers, per lease, whether it moved.
   *
   * <p>Each lease's write lock is taken before its state is read ({@code SET l._lock ... WITH l
   * WHERE}): under read-committed isolation a plain {@code MATCH ... WHERE l.state = $from SET}
   * lets two concurrent transactions both see {@code issuing} and both "win" (a lost update; Neo4j
   * Operations Manual, "Concurrent data access"). With the lock first, exactly one caller moves it.
   */
  private List<Boolean> activate(List<String> leaseIds) {
    List<String> moved =
        writeStatement(
            "UNWIND $ids AS id MATCH (l:Lease {id: id}) SET l._lock = true REMOVE l._lock"
                + " WITH l WHERE l.state = 'issuing' SET l.state = 'active'"
                + " RETURN collect(l.id) AS moved",
            Map.of("ids", leaseIds),
            result -> result.single().get("moved").asList(Value::asString));
    return leaseIds.stream().map(moved::contains).toList();
  }

  public Optional<Lease> find(String leaseId) {
    return read(
        tx ->
            tx.run(LEASE_MATCH + "WHERE l.id = $id " + LEASE_RETURN, Map.of("id", leaseId)).stream()
                .findFirst()
                .map(LeaseStore::lease));
  }

  /**
   * Finds or creates the job's project, pipeline and job. What cannot change is set only on create
   * and a project's path (renames) only when it differs: a {@code SET} on an existing node takes
   * its write lock even when the value is the same, and every exchange of a busy project would
   * queue on that one lock until the holder commits.
   */
  private static final String JOB_MERGE =
      "MERGE (p:Project {key: row.projectKey})"
          + " ON CREATE SET p.instance = row.instance, p.id = row.projectId, p.path = row.projectPath "
          + "FOREACH (_ IN CASE WHEN p.path = row.projectPath THEN [] ELSE [1] END |"
          + " SET p.path = row.projectPath) "
          + "MERGE (pl:Pipeline {key: row.pipelineKey})"
          + " ON CREATE SET pl.id = row.pipelineId, pl.source = row.pipelineSource "
          + "MERGE (p)-[:RAN]->(pl) "
          + "MERGE (j:Job {key: row.jobKey}) ON CREATE SET j.id = row.jobId, j.ref = row.ref,"
          + " j.sha = row.sha, j.user = row.userLogin, j.environment = row.environment "
          + "MERGE (pl)-[:HAS]->(j) ";

  /**
   * Consumes each row's {@code jti} and writes its lease as {@code issuing} with its decision. The
   * uniqueness constraint on {@code UsedJti} fails the whole statement if any {@code jti} was used.
   */
  private static final String BEGIN_ISSUING =
      "UNWIND $rows AS row CREATE (:UsedJti {key: row.jti, expiresAt: row.jtiExpiry}) WITH row "
          + JOB_MERGE
          + "MERGE (t:Target {name: row.target}) "
          + "CREATE (j)-[:HOLDS]->(l:Lease)-[:ON]->(t) SET l = row.lease "
          + "CREATE (d:Decision)-[:ABOUT]->(j) SET d = row.decision "
          + "CREATE (d)-[:ISSUED]->(l)";

  static final String LEASE_MATCH =
      "MATCH (p:Project)-[:RAN]->(pl:Pipeline)-[:HAS]->(j:Job)-[:HOLDS]->(l:Lease) ";
  static final String LEASE_RETURN =
      "RETURN l, p.instance AS instance, p.id AS projectId, p.path AS projectPath,"
          + " pl.id AS pipelineId, j.id AS jobId, j.ref AS ref, j.sha AS sha, j.user AS userLogin,"
          + " j.environment AS environment";

  static Lease lease(Record r) {
    Value l = r.get("l");
    return new Lease(
        l.get("id").asString(),
        l.get("state").asString(),
        r.get("instance").asString(),
        r.get("projectId").asLong(),
        r.get("projectPath").asString(),
        r.get("pipelineId").asLong(),
        r.get("jobId").asLong(),
        r.get("ref").asString(null),
        r.get("sha").asString(null),
        r.get("userLogin").asString(null),
        r.get("environment").asString(null),
        l.get("rule").asString(),
        l.get("target").asString(),
        l.get("database").asString(),
        l.get("username").asString(),
        l.get("roles").asList(Value::asString),
        instant(l.get("issuedAt")),
        instant(l.get("expiresAt")),
        instant(l.get("revokedAt")),
        l.get("revokeReason").asString(null));
  }

  private static Map<String, Object> leaseProperties(Lease lease) {
    return parameters(
        "id", lease.id(),
        "state", lease.state(),
        "rule", lease.rule(),
        "target", lease.target(),
        "database", lease.database(),
        "username", lease.username(),
        "roles", lease.roles(),
        "issuedAt", utc(lease.issuedAt()),
        "expiresAt", utc(lease.expiresAt()));
  }

  private static Map<String, Object> row(JobIdentity job, DecisionRecord decision) {
    Map<String, Object> p =
        parameters(
            "projectKey", job.instance() + "/" + job.projectId(),
            "instance", job.instance(),
            "projectId", job.projectId(),
            "projectPath", job.projectPath(),
            "pipelineKey", job.instance() + "/" + job.pipelineId(),
            "pipelineId", job.pipelineId(),
            "pipelineSource", job.pipelineSource(),
            "jobKey", job.instance() + "/" + job.jobId(),
            "jobId", job.jobId(),
            "ref", job.ref(),
            "sha", job.sha(),
            "userLogin", job.userLogin(),
            "environment", job.environment());
    p.put(
        "decision",
        parameters(
            "id", decision.id(),
            "at", utc(decision.at()),
            "outcome", decision.allowed() ? "allowed" : "denied",
            "code", decision.code(),
            "rule", decision.rule(),
            "trace", decision.traceJson()));
    return p;
  }

  /** A map that, unlike {@code Map.of}, accepts null values (absent optional claims). */
  static Map<String, Object> parameters(Object... keysAndValues) {
    Map<String, Object> m = new HashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      m.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return m;
  }

  static String jtiKey(String instance, String jti) {
    return instance + "|" + jti;
  }

  static ZonedDateTime utc(Instant i) {
    return i == null ? null : i.atZone(ZoneOffset.UTC);
  }

  private static Instant instant(Value v) {
    return v == null || v.isNull() ? null : v.asZonedDateTime().toInstant();
  }

  <T> T read(Function<Transaction, T> work) {
    return inTransaction(work, false);
  }

  <T> T write(Function<Transaction, T> work) {
    return inTransaction(work, true);
  }

  private <T> T inTransaction(Function<Transaction, T> work, boolean commit) {
    return inSession(
        s -> {
          try (Transaction tx = s.beginTransaction()) {
            T result = work.apply(tx);
            if (commit) {
              tx.commit();
            }
            return result;
          }
        });
  }

  /**
   * One write statement in an auto-commit transaction: as atomic as an explicit one, in one round
   * trip instead of three (BEGIN, RUN, COMMIT). This store's single-statement writes use it (the
   * exchange's). {@code read} takes what it needs from the result; the result is consumed
   * afterwards, because the commit's outcome arrives with the end of the stream.
   */
  private <T> T writeStatement(String query, Map<String, Object> params, Function<Result, T> read) {
    return inSession(
        s -> {
          Result result = s.run(query, params);
          T value = read.apply(result);
          result.consume();
          return value;
        });
  }

  private <T> T inSession(Function<Session, T> work) {
    try (Session s = driver.session()) {
      return work.apply(s);
    } catch (ClientException e) {
      if (e.code() != null && e.code().startsWith("Neo.ClientError.Schema.")) {
        throw e;
      }
      throw new StateUnavailableException(e);
    } catch (Neo4jException | IllegalStateException e) {
      throw new StateUnavailableException(e);
    }
  }
}
