package io.neo4jaccess.testing;

import io.neo4jaccess.lease.LeaseSeal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.neo4j.driver.Session;
import org.neo4j.driver.SessionConfig;

/**
 * Writes leases straight into the state graph, shaped and sealed as {@code LeaseRepository} writes
 * them (with the tests' lease key), and creates their users on the target server: for states an
 * exchange cannot be paused in (issuing after a crash, revoking, expired), for hundreds of leases
 * at once, and, unsealed or sealed wrongly, for leases the broker did not write.
 */
public final class TestLeases {

  public static final String PASSWORD = "test-lease-password";
  private static final LeaseSeal SEAL = new LeaseSeal(List.of(BrokerTestResource.LEASE_KEY));
  private static final AtomicLong JOBS =
      new AtomicLong(900_000 + (System.nanoTime() % 10_000) * 10);

  private TestLeases() {}

  /** A lease as written; {@code username} exists on the server when it was created with a user. */
  public record Made(String id, String username, long projectId, long pipelineId, long jobId) {}

  /** What to write; builder-style defaults: an active demo lease issued now, valid 10 minutes. */
  public static final class Spec {
    String target = "demo";
    String prefix = "ci_";
    String state = "active";
    long projectId = 22;
    long pipelineId = 1001;
    String environment;
    Instant issuedAt = Instant.now();
    Instant expiresAt = Instant.now().plusSeconds(600);
    Map<String, Object> extra = new HashMap<>();
    boolean user = true;
    String username;
    boolean sealed = true;

    public Spec target(String t, String p) {
      target = t;
      prefix = p;
      return this;
    }

    public Spec state(String s) {
      state = s;
      return this;
    }

    public Spec environment(String e) {
      environment = e;
      return this;
    }

    public Spec pipeline(long p) {
      pipelineId = p;
      return this;
    }

    public Spec issuedAt(Instant i) {
      issuedAt = i;
      return this;
    }

    public Spec expiresAt(Instant i) {
      expiresAt = i;
      return this;
    }

    public Spec set(String property, Instant value) {
      extra.put(property, value.atZone(ZoneOffset.UTC));
      return this;
    }

    public Spec set(String property, Object value) {
      extra.put(property, value);
      return this;
    }

    public Spec withoutUser() {
      user = false;
      return this;
    }

    /** A lease for an existing user of any name: a forger's choice. Creates no user. */
    public Spec username(String u) {
      username = u;
      user = false;
      return this;
    }

    /** Without a seal, as anyone but the broker writes leases; {@link #set} may add a bad one. */
    public Spec unsealed() {
      sealed = false;
      return this;
    }
  }

  public static Spec lease() {
    return new Spec();
  }

  public static Made create(Spec spec) {
    return create(spec, 1).get(0);
  }

  /** Writes {@code n} leases like {@code spec} (one job each) in one transaction, then users. */
  public static List<Made> create(Spec spec, int n) {
    List<Made> made = new ArrayList<>();
    List<Map<String, Object>> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      long job = JOBS.incrementAndGet();
      String id = UUID.randomUUID().toString().replace("-", "").substring(0, 22);
      String user =
          spec.username != null
              ? spec.username
              : spec.prefix + spec.projectId + "_" + job + "_t" + Integer.toHexString(i);
      made.add(new Made(id, user, spec.projectId, spec.pipelineId, job));
      Map<String, Object> lease = new HashMap<>();
      if (spec.sealed) {
        lease.put(
            "seal",
            SEAL.seal(
                new LeaseSeal.Fields(
                    id,
                    "main",
                    spec.projectId,
                    job,
                    spec.target,
                    user,
                    spec.issuedAt,
                    spec.expiresAt)));
      }
      lease.putAll(spec.extra);
      lease.put("id", id);
      lease.put("state", spec.state);
      lease.put("rule", "test");
      lease.put("target", spec.target);
      lease.put("database", "neo4j");
      lease.put("username", user);
      lease.put("roles", List.of());
      lease.put("issuedAt", spec.issuedAt.atZone(ZoneOffset.UTC));
      lease.put("expiresAt", spec.expiresAt.atZone(ZoneOffset.UTC));
      Map<String, Object> row = new HashMap<>();
      row.put("lease", lease);
      row.put("jobKey", "main/" + job);
      row.put("jobId", job);
      row.put("environment", spec.environment);
      rows.add(row);
    }
    try (Session s = SharedNeo4j.stateAdmin().session()) {
      s.executeWriteWithoutResult(
          tx ->
              tx.run(
                      "MERGE (p:Project {key: $pk}) SET p.instance = 'main', p.id = $project,"
                          + " p.path = 'demo/app'"
                          + " MERGE (pl:Pipeline {key: $plk}) SET pl.id = $pipeline"
                          + " MERGE (p)-[:RAN]->(pl)"
                          + " MERGE (t:Target {name: $target})"
                          + " WITH pl, t UNWIND $rows AS row"
                          + " MERGE (j:Job {key: row.jobKey}) SET j.id = row.jobId,"
                          + " j.environment = row.environment"
                          + " MERGE (pl)-[:HAS]->(j)"
                          + " CREATE (j)-[:HOLDS]->(l:Lease)-[:ON]->(t) SET l = row.lease",
                      Map.of(
                          "pk",
                          "main/" + spec.projectId,
                          "project",
                          spec.projectId,
                          "plk",
                          "main/" + spec.pipelineId,
                          "pipeline",
                          spec.pipelineId,
                          "target",
                          spec.target,
                          "rows",
                          rows))
                  .consume());
    }
    if (spec.user) {
      try (Session s = SharedNeo4j.admin().session(SessionConfig.forDatabase("system"))) {
        for (Made m : made) {
          s.run(
                  "CREATE USER $u SET PASSWORD $p CHANGE NOT REQUIRED",
                  Map.of("u", m.username(), "p", PASSWORD))
              .consume();
        }
      }
    }
    return made;
  }

  /** True when the user exists on the target server (any prefix). */
  public static boolean userExists(String username) {
    try (Session s = SharedNeo4j.admin().session(SessionConfig.forDatabase("system"))) {
      return s.run(
                  "SHOW USERS YIELD user WHERE user = $u RETURN count(*) AS n",
                  Map.of("u", username))
              .single()
              .get("n")
              .asLong()
          > 0;
    }
  }

  /** Changes one property of a stored lease, as someone with write access to the store could. */
  public static void alter(String leaseId, String property, Object value) {
    try (Session s = SharedNeo4j.stateAdmin().session()) {
      s.run(
              "MATCH (l:Lease {id: $id}) SET l[$p] = $v",
              Map.of("id", leaseId, "p", property, "v", value))
          .consume();
    }
  }

  /** How many times the lease was claimed for revocation (0 when never). */
  public static long revocations(String leaseId) {
    Object n = properties(leaseId).get("revocations");
    return n == null ? 0 : ((Number) n).longValue();
  }

  /** A lease's properties as stored, for assertions. */
  public static Map<String, Object> properties(String leaseId) {
    try (Session s = SharedNeo4j.stateAdmin().session()) {
      return s.run("MATCH (l:Lease {id: $id}) RETURN properties(l) AS p", Map.of("id", leaseId))
          .single()
          .get("p")
          .asMap();
    }
  }
}
