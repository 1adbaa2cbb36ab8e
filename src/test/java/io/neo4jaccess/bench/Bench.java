package io.neo4jaccess.bench;

import static java.net.http.HttpResponse.BodyHandlers.discarding;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.neo4jaccess.lease.LeaseSeal;
import io.neo4jaccess.testing.BrokerProcess;
import io.neo4jaccess.testing.EmbeddedNeo4j;
import io.neo4jaccess.testing.GitLabStandIn;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.stream.IntStream;
import org.neo4j.driver.AuthTokens;
import org.neo4j.driver.Config;
import org.neo4j.driver.Driver;
import org.neo4j.driver.GraphDatabase;
import org.neo4j.driver.Session;
import org.neo4j.driver.SessionConfig;
import org.neo4j.driver.exceptions.AuthenticationException;
import org.neo4j.harness.Neo4j;

/**
 * The broker's benchmark (issue 6): the packaged broker as its own process, against two embedded
 * Neo4j servers (the target, and the state store on a server of its own, as in production; both in
 * <em>this</em> JVM) and the GitLab stand-in (also in this JVM), loaded over loopback by a
 * closed-loop HTTP client. Prints a table and writes it as JSON under {@code bench/results/}. A
 * main, not a test: {@code mvn verify} never runs it.
 *
 * <p>System properties: {@code bench.exchanges} (per level, 2000), {@code bench.levels} (1,8,32),
 * {@code bench.revocations} (200), {@code bench.sweep} (10000), {@code bench.sweepWait} (seconds,
 * 300), {@code bench.brokerJvm} (the broker's JVM options, space-separated; by default the ones
 * docs/operating.md recommends, {@link #RECOMMENDED_JVM}; empty for the JVM's own defaults), {@code
 * bench.skip} (comma-separated: levels, cold, revocation, sweep, gateway, pooled), {@code
 * bench.pooledExchanges} (per level of the pooled phase; bench.exchanges), {@code
 * bench.pooledRevocations} (per replica, 100), {@code bench.sweepSeed} ({@code exchange}, or {@code
 * direct} to write the expired leases straight into the state graph), {@code bench.restarts}
 * (restarts against the running Neo4j after the first start, 3), {@code bench.brokerJava} (the
 * {@code java} to run the broker with; by default this JVM's, which made the class-data archive:
 * another JVM runs without it).
 */
public final class Bench {

  /**
   * The broker's JVM options that docs/operating.md recommends: a heap bounded to what the broker
   * needs instead of a quarter of the host's memory, and the serial collector, which suits that
   * heap on one or two cores (bench/RESULTS.md, run 4: RSS after load 308 MB with the defaults, 273
   * MB with these, same CPU per exchange).
   */
  static final String RECOMMENDED_JVM = "-XX:+UseSerialGC -Xmx256m -Xss512k";

  /** Rounds in which paths compared with each other take turns ({@link Load#inTurns}). */
  private static final int TURNS = 4;

  /** Operations of each kind run once before the first level, for the JITs. */
  private static final int JIT_WARMUP = 2000;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String AUD = "neo4j-access";
  private static final String WEBHOOK_SECRET = "bench-webhook-secret";
  private static final SessionConfig SYSTEM = SessionConfig.forDatabase("system");

  private final Map<String, Object> results = new LinkedHashMap<>();
  private final List<String[]> table = new ArrayList<>();
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private final Path dir = Path.of("target", "bench").toAbsolutePath();
  private final Path brokerJava =
      Path.of(System.getProperty("bench.brokerJava", BrokerProcess.buildJava().toString()));

  private final List<String> brokerJvm =
      List.of(System.getProperty("bench.brokerJvm", RECOMMENDED_JVM).trim().split("\\s+")).stream()
          .filter(s -> !s.isEmpty())
          .toList();
  private final long startedAt = System.nanoTime();

  private Neo4j neo4j;
  private Driver admin;
  private Neo4j state;
  private Driver stateAdmin;
  private String statePassword;
  private Path leaseKeysFile;
  private LeaseSeal seal;
  private GitLabStandIn gitlab;
  private Path passwordFile;
  private String adminPassword;
  private BrokerProcess broker;

  public static void main(String[] args) throws Exception {
    Bench b = new Bench();
    try {
      b.run();
    } finally {
      b.close();
    }
    System.exit(0);
  }

  private void run() throws Exception {
    int exchanges = Integer.getInteger("bench.exchanges", 2000);
    List<Integer> levels =
        List.of(System.getProperty("bench.levels", "1,8,32").split(",")).stream()
            .map(String::trim)
            .map(Integer::valueOf)
            .toList();
    List<String> skip = List.of(System.getProperty("bench.skip", "").split(","));
    setUp();
    results.put("machine", machine());
    results.put(
        "note",
        "The two embedded Neo4j servers (state store, target) and the GitLab stand-in run inside"
            + " the bench JVM, alongside the load generator; the broker is a separate process."
            + " All share the same cores.");

    // --- start, idle memory, first exchange after ready -------------------------------------
    broker = startBroker("broker-1", Map.of("BROKER_LEASE_SWEEP_INTERVAL", "1h"));
    Thread.sleep(1000);
    long[] idle = broker.rssMb();
    put("start", "ready_ms", broker.readyMillis);
    put("start", "quarkus_started_s", broker.quarkusStartedSeconds());
    put("memory", "rss_idle_mb", idle[0]);
    log(
        "broker ready in %d ms (Quarkus: %.3f s), RSS idle %d MB",
        broker.readyMillis, broker.quarkusStartedSeconds(), idle[0]);
    int calls0 = gitlab.apiCalls();
    double firstEver = timedExchange();
    put("cold", "first_exchange_after_first_start_ms", firstEver);
    put("cold", "first_exchange_gitlab_calls", gitlab.apiCalls() - calls0);
    log("first exchange after the first start: %.1f ms", firstEver);
    // The first start shares the cores with Neo4j servers that have just started in this JVM and
    // plan every statement for the first time; in production they run long before the broker
    // (re)starts, their code long compiled by the JIT. So the servers (and this JVM's client and
    // GitLab stand-in) first serve exchanges until their code is compiled, then the broker is
    // restarted against them, and the goals are checked on those starts, each followed by a job's
    // exchange: the broker's own cold start. Without that warm-up the servers' interpreted code
    // added about 75 ms at the median (bench/RESULTS.md, runs 7 and 8). Where bench/run made a
    // class-data archive (as the container image does), every other restart runs without it: the
    // plain jar's figure.
    boolean archive =
        BrokerProcess.hasClassDataArchive() && brokerJava.equals(BrokerProcess.buildJava());
    int restarts = Integer.getInteger("bench.restarts", archive ? 10 : 5);
    if (restarts > 0) {
      log("servers' JIT warm-up: %d exchanges at concurrency 8", JIT_WARMUP);
      Stats serversWarm = Load.run(8, mint(JIT_WARMUP, Map.of()), t -> exchange(t, null) != null);
      log("  exchange     %s", serversWarm);
    }
    Map<Boolean, List<Long>> ready = Map.of(true, new ArrayList<>(), false, new ArrayList<>());
    List<Double> firstAfterReady = new ArrayList<>();
    for (int i = 0; i < restarts; i++) {
      boolean withArchive = archive && i % 2 == 1;
      broker.close();
      broker = startBroker("broker-1", Map.of("BROKER_LEASE_SWEEP_INTERVAL", "1h"), withArchive);
      double cpu = Cpu.processMs(broker.process.pid());
      ready.get(withArchive).add(broker.readyMillis);
      firstAfterReady.add(timedExchange());
      log(
          "broker restarted (class-data archive: %s), ready in %d ms (%.0f ms CPU), first"
              + " exchange %.1f ms",
          withArchive, broker.readyMillis, cpu, firstAfterReady.get(firstAfterReady.size() - 1));
    }
    ready.forEach(
        (withArchive, ms) -> {
          if (!ms.isEmpty()) {
            String key = withArchive ? "restarts_with_archive" : "restarts";
            put("start", key + "_ready_ms", ms);
            put("start", key + "_ready_ms_median", median(ms));
          }
        });
    if (!firstAfterReady.isEmpty()) {
      put("cold", "first_exchange_after_ready_ms", firstAfterReady);
      put("cold", "first_exchange_after_ready_ms_median", median(firstAfterReady));
    }

    // --- exchange latency and throughput per level, with the floor --------------------------
    List<Map<String, Object>> perLevel = new ArrayList<>();
    if (skip.contains("levels")) {
      levels = List.of();
    }
    int totalCalls = 0;
    long totalWaited = 0;
    int totalExchanges = 0;
    if (!levels.isEmpty()) {
      // The JITs (broker and Neo4j) compile hot code after thousands of calls; a level's own
      // warm-up is too short for that, and the first level measured would pay for it.
      log("JIT warm-up: %d exchanges and %d CREATE+DROP at concurrency 8", JIT_WARMUP, JIT_WARMUP);
      Stats jit = Load.run(8, mint(JIT_WARMUP, Map.of()), t -> exchange(t, null) != null);
      log("  exchange     %s", jit);
      String pw = randomPassword();
      List<String> names = IntStream.range(0, JIT_WARMUP).mapToObj(i -> "floor_jit_" + i).toList();
      log("  CREATE+DROP  %s", Load.run(8, names, n -> createDrop(n, pw, null, null)));
    }
    for (int c : levels) {
      int warm = Math.max(100, 10 * c);
      log("level %d: minting %d + %d tokens", c, warm, exchanges);
      List<String> warmTokens = mint(warm, Map.of());
      List<String> tokens = mint(exchanges, Map.of());
      Stats w = Load.run(c, warmTokens, t -> exchange(t, null) != null);
      log("  warm-up      %s", w);
      int before = gitlab.apiCalls();
      double waitedBefore = factReadsFromGitLab();
      Cpu.Mark mark = Cpu.Mark.now();
      Stats ex = Load.run(c, tokens, t -> exchange(t, null) != null);
      Map<String, Object> exCpu = mark.since(ex.n());
      int calls = gitlab.apiCalls() - before;
      long waited = Math.round(factReadsFromGitLab() - waitedBefore);
      totalCalls += calls;
      totalWaited += waited;
      totalExchanges += ex.n();
      log(
          "  exchange     %s; GitLab calls %d, fact reads that waited for GitLab %d; cpu %s",
          ex, calls, waited, exCpu);

      List<String> names =
          IntStream.range(0, exchanges + warm).mapToObj(i -> "floor_" + c + "_" + i).toList();
      String pw = randomPassword();
      Load.run(c, names.subList(exchanges, names.size()), n -> createDrop(n, pw, null, null));
      long[] createNanos = new long[exchanges];
      long[] dropNanos = new long[exchanges];
      java.util.Arrays.fill(createNanos, -1);
      java.util.Arrays.fill(dropNanos, -1);
      Map<String, Integer> index = new HashMap<>();
      for (int i = 0; i < exchanges; i++) {
        index.put(names.get(i), i);
      }
      Cpu.Mark floorMark = Cpu.Mark.now();
      Stats pair =
          Load.run(
              c,
              names.subList(0, exchanges),
              n -> createDrop(n, pw, createNanos, dropNanos, index.get(n)));
      Map<String, Object> floorCpu = floorMark.since(pair.n());
      Stats create = Stats.of(done(createNanos), 0, 0);
      Stats drop = Stats.of(done(dropNanos), 0, 0);
      log("  CREATE+DROP  %s; cpu %s", pair, floorCpu);
      log("  CREATE alone %s", create);
      Stats verify = Load.run(c, tokens, Bench::verifyRs256);
      log("  RS256 verify %s", verify);

      Map<String, Object> level = new LinkedHashMap<>();
      level.put("concurrency", c);
      level.put("warmup", w.json());
      level.put("exchange", ex.json());
      level.put("exchange_cpu", exCpu);
      level.put("gitlab_calls", calls);
      level.put("floor_create_drop_user", pair.json());
      level.put("floor_create_drop_cpu", floorCpu);
      level.put("floor_create_user_only", create.json());
      level.put("floor_drop_user_only", drop.json());
      level.put("floor_rs256_verify", verify.json());
      level.put("ratio_p50_exchange_to_create_drop", round(ex.p50() / pair.p50()));
      level.put("ratio_p50_exchange_to_create_only", round(ex.p50() / create.p50()));
      perLevel.add(level);
    }
    results.put("levels", perLevel);
    if (totalExchanges > 0) {
      put("gitlab", "warm_calls", totalCalls);
      put("gitlab", "warm_exchanges", totalExchanges);
      put("gitlab", "warm_calls_per_1000", round(1000.0 * totalCalls / totalExchanges));
      put("gitlab", "warm_fact_reads_that_waited", totalWaited);
    }

    // Cold fact cache, warm JVM: the first exchange of projects the broker has not seen yet.
    long[] cold = new long[skip.contains("cold") ? 0 : 20];
    int coldCalls = gitlab.apiCalls();
    for (int i = 0; i < cold.length; i++) {
      String project = String.valueOf(9000 + i);
      String token =
          gitlab.mint(
              AUD,
              Map.of(
                  "project_id",
                  project,
                  "job_project_id",
                  project,
                  "project_path",
                  "demo/cold" + i,
                  "job_project_path",
                  "demo/cold" + i));
      long s = System.nanoTime();
      exchange(token, null);
      cold[i] = System.nanoTime() - s;
    }
    if (cold.length > 0) {
      Stats coldStats = Stats.of(cold, 0, 0);
      put("cold", "new_project_exchange", coldStats.json());
      put("cold", "new_project_gitlab_calls_each", (gitlab.apiCalls() - coldCalls) / cold.length);
      log("cold-cache exchange (new project, warm JVM): %s", coldStats);
    }

    long[] loaded = broker.rssMb();
    put("memory", "rss_after_load_mb", loaded[0]);
    put("memory", "rss_peak_mb", loaded[1]);
    log("RSS after load %d MB (peak %d MB)", loaded[0], loaded[1]);

    // --- revocation latency: job-finished webhook -> login refused ---------------------------
    if (skip.contains("revocation")) {
      put("revocation", "status", "skipped");
    } else {
      try {
        revocationLatency(Integer.getInteger("bench.revocations", 200));
      } catch (Exception e) {
        put("revocation", "status", "failed: " + e);
        log("revocation phase failed: %s", e);
      }
    }
    long[] end = broker.rssMb();
    put("memory", "rss_end_of_broker_1_mb", end[0]);

    // --- sweep: N expired leases revoked ---------------------------------------------------
    if (skip.contains("sweep")) {
      put("sweep", "status", "skipped");
    } else {
      long left = secondsLeft();
      try {
        sweep(
            Integer.getInteger("bench.sweep", 10_000),
            (int) Math.min(Integer.getInteger("bench.sweepWait", 300), left - 150));
      } catch (Exception e) {
        put("sweep", "status", "failed: " + e);
        log("sweep phase failed: %s", e);
      }
    }
    // --- the Bolt gateway against direct Bolt on the same Neo4j --------------------------------
    if (skip.contains("gateway")) {
      put("gateway", "status", "skipped");
    } else {
      try {
        gateway(
            Integer.getInteger("bench.gatewayReads", 5000),
            Integer.getInteger("bench.gatewayWrites", 8000));
      } catch (Exception e) {
        put("gateway", "status", "failed: " + e);
        log("gateway phase failed: %s", e);
      }
    }
    // --- pooled gateway target: exchange, and revocation on this and another replica -----------
    if (skip.contains("pooled")) {
      put("pooled", "status", "skipped");
    } else {
      try {
        pooled(
            Integer.getInteger("bench.pooledExchanges", exchanges),
            Integer.getInteger("bench.pooledRevocations", 100));
      } catch (Exception e) {
        put("pooled", "status", "failed: " + e);
        log("pooled phase failed: %s", e);
      }
    }
    results.put("elapsed_s", (System.nanoTime() - startedAt) / 1_000_000_000L);
    results.put("load_average_1m_at_end", Cpu.loadAverage());
    report(perLevel);
  }

  // --- phases -------------------------------------------------------------------------------

  /**
   * A broker whose target {@code gated} is the same Neo4j behind its Bolt gateway, and one job's
   * write grant there, measured through the gateway and directly ({@link GatewayBench}).
   */
  private void gateway(int reads, int writes) throws Exception {
    broker.close();
    broker = startBroker("broker-gateway", gatewayEnv("per-job-user"));
    log("broker with a gateway ready in %d ms", broker.readyMillis);
    put("gateway", "broker_ready_ms", broker.readyMillis);
    JsonNode issued = exchange(gitlab.mint(AUD, GATEWAY_PROJECT), null);
    GatewayBench bench =
        new GatewayBench(issued, neo4j.boltURI().toString(), broker.url, (f, a) -> log(f, a));
    try {
      bench.run(List.of(1, 8, 32), reads, writes).forEach((k, v) -> put("gateway", k, v));
    } finally {
      bench.close();
    }
  }

  /** The claims of a job of the project whose jobs write target {@code gated}. */
  private static final Map<String, String> GATEWAY_PROJECT =
      Map.of(
          "project_id", "77",
          "job_project_id", "77",
          "project_path", "demo/gateway",
          "job_project_path", "demo/gateway");

  /** A broker whose target {@code gated}, the same Neo4j, has a gateway on a free port. */
  private Map<String, String> gatewayEnv(String upstream) throws Exception {
    Map<String, String> env = new HashMap<>();
    env.put("BROKER_LEASE_SWEEP_INTERVAL", "1h");
    env.put(
        "BROKER_POLICY_FILE", Path.of("bench", "gateway-policy.yml").toAbsolutePath().toString());
    env.put("BROKER_NEO4J_TARGETS_GATED_URI", neo4j.boltURI().toString());
    env.put("BROKER_NEO4J_TARGETS_GATED_ADMIN_PASSWORD_FILE", passwordFile.toString());
    env.put("BROKER_NEO4J_TARGETS_GATED_USER_PREFIX", "gt_");
    env.put("BROKER_NEO4J_TARGETS_GATED_GATEWAY_ENABLED", "true");
    env.put("BROKER_NEO4J_TARGETS_GATED_GATEWAY_HOST", "127.0.0.1");
    env.put("BROKER_NEO4J_TARGETS_GATED_GATEWAY_PORT", String.valueOf(freePort()));
    env.put("BROKER_NEO4J_TARGETS_GATED_GATEWAY_UPSTREAM", upstream);
    env.put("BROKER_GATEWAY_ALLOW_PLAIN", "true");
    return env;
  }

  /**
   * Target {@code gated} pooled ({@code gateway.upstream: pooled}) on two replicas of one state
   * store: the exchange against the floor (CREATE+DROP USER) at concurrency 1 and 8, then the time
   * from a Job Hook sent to the first replica until a job's open connection through the first, and
   * through the second, replica's gateway is closed (its next query fails).
   */
  private void pooled(int exchanges, int revocations) throws Exception {
    broker.close();
    Map<String, String> env = gatewayEnv("pooled");
    Map<String, String> otherEnv = gatewayEnv("pooled");
    broker = startBroker("broker-pooled", env);
    BrokerProcess other = startBroker("broker-pooled-2", otherEnv);
    try {
      log("pooled brokers ready in %d and %d ms", broker.readyMillis, other.readyMillis);
      put("pooled", "broker_ready_ms", broker.readyMillis);
      Load.run(8, mint(JIT_WARMUP, GATEWAY_PROJECT), t -> exchange(t, null) != null);
      List<Map<String, Object>> levels = new ArrayList<>();
      for (int c : List.of(1, 8)) {
        List<String> warm = mint(Math.max(100, 10 * c), GATEWAY_PROJECT);
        List<String> tokens = mint(exchanges, GATEWAY_PROJECT);
        Load.run(c, warm, t -> exchange(t, null) != null);
        String pw = randomPassword();
        List<String> names =
            IntStream.range(0, exchanges).mapToObj(i -> "pooled_floor_" + c + "_" + i).toList();
        // Exchange and floor take turns: at c=1 they differ by less than this machine drifts.
        Map<String, IntFunction<Load.Timings>> runs = new LinkedHashMap<>();
        runs.put(
            "exchange",
            round ->
                Load.time(c, Load.share(tokens, round, TURNS), t -> exchange(t, null) != null));
        runs.put(
            "floor",
            round ->
                Load.time(c, Load.share(names, round, TURNS), n -> createDrop(n, pw, null, null)));
        Map<String, Load.Timings> turns = Load.inTurns(TURNS, runs);
        Stats ex = turns.get("exchange").stats();
        Stats floor = turns.get("floor").stats();
        log("  pooled exchange c=%d %s; CREATE+DROP %s", c, ex, floor);
        Map<String, Object> level = new LinkedHashMap<>();
        level.put("concurrency", c);
        level.put("exchange", ex.json());
        level.put("floor_create_drop_user", floor.json());
        level.put("ratio_p50_exchange_to_create_drop", round(ex.p50() / floor.p50()));
        levels.add(level);
      }
      put("pooled", "levels", levels);
      String here = "bolt://127.0.0.1:" + env.get("BROKER_NEO4J_TARGETS_GATED_GATEWAY_PORT");
      String there = "bolt://127.0.0.1:" + otherEnv.get("BROKER_NEO4J_TARGETS_GATED_GATEWAY_PORT");
      for (Map.Entry<String, String> replica : Map.of("same", here, "other", there).entrySet()) {
        // Unmeasured first: the second replica has served nothing yet, its JIT has not compiled
        // the lease check and the connection close.
        cutByJobHook(replica.getValue(), mint(20, GATEWAY_PROJECT));
        Stats cut = cutByJobHook(replica.getValue(), mint(revocations, GATEWAY_PROJECT));
        put("pooled", "webhook_to_connection_closed_" + replica.getKey() + "_replica", cut.json());
        log("  pooled revocation, connection on the %s replica: %s", replica.getKey(), cut);
      }
    } finally {
      other.close();
    }
  }

  /**
   * For each token: a job's exchange, a transaction open through {@code gatewayUri}, and its Job
   * Hook sent to the broker: how long from sending the hook until a query on that connection fails.
   * The hook goes out on another thread, so that the connection is watched while it is answered.
   */
  private Stats cutByJobHook(String gatewayUri, List<String> tokens) throws Exception {
    long[] cut = new long[tokens.size()];
    int failures = 0;
    for (int i = 0; i < tokens.size(); i++) {
      JsonNode lease = exchange(tokens.get(i), null);
      long jobId = Long.parseLong(claim(tokens.get(i), "job_id"));
      try (Driver d =
              GraphDatabase.driver(
                  gatewayUri,
                  AuthTokens.basic(lease.get("username").asText(), lease.get("password").asText()),
                  Config.builder().withMaxConnectionPoolSize(1).build());
          Session s = d.session();
          var tx = s.beginTransaction()) {
        tx.run("RETURN 1").consume();
        long start = System.nanoTime();
        var answered = http.sendAsync(webhookRequest(jobId, 77, "success"), discarding());
        long deadline = start + TimeUnit.SECONDS.toNanos(5);
        boolean open = true;
        while (open && System.nanoTime() < deadline) {
          try {
            tx.run("RETURN 1").consume();
          } catch (org.neo4j.driver.exceptions.Neo4jException e) {
            open = false;
          }
        }
        cut[i] = System.nanoTime() - start;
        failures += open ? 1 : 0;
        answered.join();
      } catch (org.neo4j.driver.exceptions.Neo4jException closedWhileClosing) {
        // The transaction's rollback on a closed connection: the cut was already measured.
      }
    }
    return Stats.of(cut, failures, 0);
  }

  private void revocationLatency(int jobs) throws Exception {
    int probe = webhook(0, 22, "running");
    if (probe == 404 || probe == 405) {
      put("revocation", "status", "not measured yet: POST /v1/webhooks/gitlab answers " + probe);
      log("revocation latency: not measured yet (webhook endpoint answers %d)", probe);
      return;
    }
    List<String> tokens = mint(jobs, Map.of());
    long[] latency = new long[jobs];
    long[] answered = new long[jobs];
    java.util.Arrays.fill(latency, -1);
    java.util.Arrays.fill(answered, -1);
    int failures = 0;
    long phaseEnd =
        System.nanoTime() + TimeUnit.SECONDS.toNanos(Long.getLong("bench.runLimit", 75));
    try (Driver logins =
        GraphDatabase.driver(
            neo4j.boltURI(),
            AuthTokens.basic("neo4j", adminPassword),
            Config.builder().withMaxConnectionPoolSize(4).build())) {
      for (int i = 0; i < jobs && System.nanoTime() < phaseEnd; i++) {
        JsonNode lease = exchange(tokens.get(i), null);
        String user = lease.get("username").asText();
        var auth = AuthTokens.basic(user, lease.get("password").asText());
        long jobId = Long.parseLong(claim(tokens.get(i), "job_id"));
        if (!canLogIn(logins, auth)) {
          throw new IllegalStateException("a fresh lease cannot log in: " + user);
        }
        long s = System.nanoTime();
        int status = webhook(jobId, 22, "success");
        answered[i] = System.nanoTime() - s;
        if (status != 200) {
          throw new IllegalStateException("webhook answered " + status);
        }
        long deadline = s + TimeUnit.SECONDS.toNanos(10);
        boolean in = true;
        while (in && System.nanoTime() < deadline) {
          in = canLogIn(logins, auth);
          if (in) {
            Thread.sleep(1);
          }
        }
        latency[i] = System.nanoTime() - s;
        if (in) {
          failures++;
        }
      }
    }
    Stats r = Stats.of(done(latency), failures, 0);
    Stats a = Stats.of(done(answered), 0, 0);
    put("revocation", "webhook_to_login_refused", r.json());
    put("revocation", "webhook_answer", a.json());
    log("revocation latency (webhook -> login refused): %s", r);
    log("  webhook answered in: %s", a);
  }

  private void sweep(int leases, int maxWaitSeconds) throws Exception {
    List<String> ids = Collections.synchronizedList(new ArrayList<>());
    if ("direct".equals(System.getProperty("bench.sweepSeed", "exchange"))) {
      ids.addAll(seedExpiredLeases(leases));
    } else {
      log("sweep: minting and exchanging %d tokens with ttl 1s", leases);
      List<String> tokens = mint(leases, Map.of());
      Load.maxNanos = TimeUnit.SECONDS.toNanos(Math.max(30, Math.min(180, secondsLeft() - 240)));
      Stats issue =
          Load.run(
              32,
              tokens,
              t -> {
                JsonNode l = exchange(t, "{\"ttl\":\"1s\"}");
                ids.add(l.get("lease_id").asText());
                return true;
              });
      log("  issued       %s", issue);
      put("sweep", "issue", issue.json());
      put("sweep", "seed", "exchanges with ttl 1s through broker-1");
    }
    put("sweep", "wanted", leases);
    // The sweeper of broker-1 is off (1h); a fresh broker with the default schedule sweeps.
    broker.close();
    Thread.sleep(1500);
    broker = startBroker("broker-2", Map.of());
    put("start", "ready_ms_with_state", broker.readyMillis);
    put(
        "sweep",
        "config",
        "broker.lease defaults (sweep-interval 15s, sweep-batch-size 500, revocation-threads 4,"
            + " revocation-batch-size 50 where the broker has it)");
    log(
        "  broker-2 ready in %d ms; waiting for the sweeper (at most %d s)",
        broker.readyMillis, maxWaitSeconds);
    long s = System.nanoTime();
    long firstAt = -1;
    long revoked = 0;
    long deadline = s + TimeUnit.SECONDS.toNanos(maxWaitSeconds);
    while (System.nanoTime() < deadline) {
      revoked = countRevoked(ids);
      if (revoked > 0 && firstAt < 0) {
        firstAt = System.nanoTime();
      }
      if (revoked >= ids.size()) {
        break;
      }
      Thread.sleep(250);
    }
    long done = System.nanoTime();
    long usersLeft = usersLeft(ids);
    put("sweep", "leases", ids.size());
    put("sweep", "revoked", revoked);
    put("sweep", "users_left", usersLeft);
    put("sweep", "complete", revoked >= ids.size());
    put("sweep", "ready_to_done_s", round((done - s) / 1e9));
    put("sweep", "first_to_done_s", firstAt < 0 ? null : round((done - firstAt) / 1e9));
    put("sweep", "first_revocation_after_ready_s", firstAt < 0 ? null : round((firstAt - s) / 1e9));
    double rate = firstAt < 0 || done == firstAt ? 0 : revoked / ((done - firstAt) / 1e9);
    put("sweep", "revocations_per_second", round(rate));
    put(
        "sweep",
        "extrapolated_s_for_wanted",
        rate == 0 || firstAt < 0 ? null : round((firstAt - s) / 1e9 + leases / rate));
    log(
        "  sweep: %d/%d revoked in %.1f s after ready (first after %.1f s), %.0f/s, %d users left",
        revoked,
        ids.size(),
        (done - s) / 1e9,
        firstAt < 0 ? -1 : (firstAt - s) / 1e9,
        rate,
        usersLeft);
    long[] rss = broker.rssMb();
    put("memory", "rss_after_sweep_mb", rss[0]);
  }

  /**
   * Writes {@code n} active leases that expired a minute ago straight into the state graph, shaped
   * as {@code LeaseStore.beginIssuing} + {@code markActive} leave them (project, pipeline, job,
   * lease, target), and creates their users on the target with 8 sessions at once: the sweep's
   * input without the exchanges, which on a loaded 2-core machine cannot issue 10,000 leases in the
   * bench's budget.
   */
  private List<String> seedExpiredLeases(int n) throws Exception {
    log("sweep: writing %d expired leases and creating their users directly", n);
    long t0 = System.nanoTime();
    String run = Long.toString(System.currentTimeMillis() % 1_000_000, 36);
    java.time.ZonedDateTime now = java.time.ZonedDateTime.now(ZoneOffset.UTC);
    List<String> ids = new ArrayList<>(n);
    List<String> users = new ArrayList<>(n);
    List<Map<String, Object>> rows = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      long job = 5_000_000L + i;
      String id = UUID.randomUUID().toString().replace("-", "").substring(0, 22);
      String user = "ci_22_" + job + "_s" + run;
      ids.add(id);
      users.add(user);
      Map<String, Object> lease = new HashMap<>();
      lease.put("id", id);
      lease.put("state", "active");
      lease.put("rule", "bench-sweep");
      lease.put("target", "demo");
      lease.put("database", "neo4j");
      lease.put("username", user);
      lease.put("roles", List.of());
      lease.put("issuedAt", now.minusSeconds(120));
      lease.put("expiresAt", now.minusSeconds(60));
      lease.put(
          "seal",
          seal.seal(
              new LeaseSeal.Fields(
                  id,
                  "demo",
                  22L,
                  job,
                  "demo",
                  user,
                  now.minusSeconds(120).toInstant(),
                  now.minusSeconds(60).toInstant())));
      rows.add(Map.of("lease", lease, "jobKey", "demo/" + job + "-" + run, "jobId", job));
    }
    try (Session s = stateAdmin.session()) {
      for (int i = 0; i < n; i += 1000) {
        List<Map<String, Object>> part = rows.subList(i, Math.min(n, i + 1000));
        s.executeWriteWithoutResult(
            tx ->
                tx.run(
                        "MERGE (p:Project {key: 'demo/22'}) ON CREATE SET p.instance = 'demo',"
                            + " p.id = 22, p.path = 'demo/app'"
                            + " MERGE (pl:Pipeline {key: 'demo/sweep-' + $run})"
                            + " SET pl.id = 424242, pl.source = 'push'"
                            + " MERGE (p)-[:RAN]->(pl)"
                            + " MERGE (t:Target {name: 'demo'})"
                            + " WITH pl, t UNWIND $rows AS row"
                            + " CREATE (pl)-[:HAS]->(j:Job {key: row.jobKey, id: row.jobId})"
                            + " CREATE (j)-[:HOLDS]->(l:Lease)-[:ON]->(t) SET l = row.lease",
                        Map.of("rows", part, "run", run))
                    .consume());
      }
    }
    String pw = randomPassword();
    Load.maxNanos = TimeUnit.SECONDS.toNanos(600);
    Stats created =
        Load.run(
            8,
            users,
            u -> {
              try (Session s = admin.session(SYSTEM)) {
                s.run("CREATE USER $u SET PASSWORD $p CHANGE NOT REQUIRED", Map.of("u", u, "p", pw))
                    .consume();
              }
              return true;
            });
    log("  seeded in %.1f s; CREATE USER %s", (System.nanoTime() - t0) / 1e9, created);
    put("sweep", "seed", "written directly: leases in the state graph, users with CREATE USER");
    put("sweep", "seed_create_user", created.json());
    return ids;
  }

  /** Seconds until {@code bench.deadline} (epoch seconds, set by bench/run); else an hour. */
  private static long secondsLeft() {
    long deadline = Long.getLong("bench.deadline", 0);
    return deadline == 0 ? 3600 : deadline - Instant.now().getEpochSecond();
  }

  // --- operations ---------------------------------------------------------------------------

  /** One exchange of a new job of the bench's project, in milliseconds. */
  private double timedExchange() throws Exception {
    String token = gitlab.mint(AUD, Map.of());
    long t0 = System.nanoTime();
    exchange(token, null);
    return Stats.ms(System.nanoTime() - t0);
  }

  private static <T extends Comparable<T>> T median(List<T> values) {
    return values.stream().sorted().toList().get(values.size() / 2);
  }

  /** The broker's count of fact reads that waited for GitLab (a cache miss or expiry). */
  private double factReadsFromGitLab() throws Exception {
    String metrics =
        http.send(
                HttpRequest.newBuilder(URI.create(broker.url + "/q/metrics")).build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    return metrics
        .lines()
        .filter(l -> l.startsWith("broker_gitlab_fact_reads_total{"))
        .filter(l -> l.contains("source=\"gitlab\""))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .sum();
  }

  private JsonNode exchange(String token, String body) throws Exception {
    HttpRequest.Builder r =
        HttpRequest.newBuilder(URI.create(broker.url + "/v1/exchange"))
            .header("Authorization", "Bearer " + token)
            .timeout(Duration.ofSeconds(30));
    if (body == null) {
      r.POST(HttpRequest.BodyPublishers.noBody());
    } else {
      r.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
    }
    HttpResponse<byte[]> resp = http.send(r.build(), HttpResponse.BodyHandlers.ofByteArray());
    if (resp.statusCode() != 200) {
      throw new IllegalStateException(
          "exchange answered "
              + resp.statusCode()
              + ": "
              + new String(resp.body(), StandardCharsets.UTF_8));
    }
    return JSON.readTree(resp.body());
  }

  private int webhook(long jobId, long projectId, String status) throws Exception {
    return http.send(webhookRequest(jobId, projectId, status), discarding()).statusCode();
  }

  /** A Job Hook of the bench's GitLab about one job. */
  private HttpRequest webhookRequest(long jobId, long projectId, String status) throws Exception {
    Map<String, Object> hook = new LinkedHashMap<>();
    hook.put("object_kind", "build");
    hook.put("ref", "main");
    hook.put("tag", false);
    hook.put("build_id", jobId);
    hook.put("build_name", "test");
    hook.put("build_stage", "test");
    hook.put("build_status", status);
    hook.put("pipeline_id", 1001);
    hook.put("project_id", projectId);
    hook.put("project_name", "demo / app");
    hook.put("environment", null);
    HttpRequest r =
        HttpRequest.newBuilder(URI.create(broker.url + "/v1/webhooks/gitlab"))
            .header("Content-Type", "application/json")
            .header("X-Gitlab-Event", "Job Hook")
            .header("X-Gitlab-Token", WEBHOOK_SECRET)
            .header("Idempotency-Key", UUID.randomUUID().toString())
            .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(hook)))
            .build();
    return r;
  }

  private static boolean canLogIn(Driver driver, org.neo4j.driver.AuthToken auth) {
    try {
      return driver.verifyAuthentication(auth);
    } catch (AuthenticationException e) {
      return false;
    } catch (org.neo4j.driver.exceptions.Neo4jException e) {
      // The revocation killed the connection (or terminated the work) this check ran on: ask
      // again on a new one.
      return true;
    }
  }

  private boolean createDrop(String name, String pw, long[] create, long[] drop) {
    return createDrop(name, pw, create, drop, -1);
  }

  /** The floor: what an exchange and a revocation cost Neo4j at the least, one session each. */
  private boolean createDrop(String name, String pw, long[] create, long[] drop, int i) {
    long t0 = System.nanoTime();
    try (Session s = admin.session(SYSTEM)) {
      s.run("CREATE USER $u SET PASSWORD $p CHANGE NOT REQUIRED", Map.of("u", name, "p", pw))
          .consume();
    }
    long t1 = System.nanoTime();
    try (Session s = admin.session(SYSTEM)) {
      s.run("DROP USER $u", Map.of("u", name)).consume();
    }
    long t2 = System.nanoTime();
    if (i >= 0) {
      create[i] = t1 - t0;
      drop[i] = t2 - t1;
    }
    return true;
  }

  /** RS256 signature verification alone, as the JDK does it, for one token. */
  private static boolean verifyRs256(String token) throws Exception {
    int dot = token.lastIndexOf('.');
    Signature v = Signature.getInstance("SHA256withRSA");
    v.initVerify(KEY.get());
    v.update(token.substring(0, dot).getBytes(StandardCharsets.US_ASCII));
    return v.verify(Base64.getUrlDecoder().decode(token.substring(dot + 1)));
  }

  private static final java.util.concurrent.atomic.AtomicReference<java.security.PublicKey> KEY =
      new java.util.concurrent.atomic.AtomicReference<>();

  private long countRevoked(List<String> ids) {
    try (Session s = stateAdmin.session()) {
      return s.run(
              "MATCH (l:Lease) WHERE l.id IN $ids AND l.state = 'revoked' RETURN count(l) AS n",
              Map.of("ids", ids))
          .single()
          .get("n")
          .asLong();
    }
  }

  private long usersLeft(List<String> leaseIds) {
    try (Session s = stateAdmin.session()) {
      List<String> names =
          s.run(
                  "MATCH (l:Lease) WHERE l.id IN $ids RETURN collect(l.username) AS u",
                  Map.of("ids", leaseIds))
              .single()
              .get("u")
              .asList(v -> v.asString());
      try (Session sys = admin.session(SYSTEM)) {
        return sys.run(
                "SHOW USERS YIELD user WHERE user IN $names RETURN count(user) AS n",
                Map.of("names", names))
            .single()
            .get("n")
            .asLong();
      }
    }
  }

  /** Pre-mints tokens (RS256 signing is the stand-in's cost, not the broker's) on all cores. */
  private List<String> mint(int n, Map<String, ?> overrides) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors());
    try {
      List<Future<String>> f = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        f.add(pool.submit(() -> gitlab.mint(AUD, overrides)));
      }
      List<String> out = new ArrayList<>(n);
      for (Future<String> t : f) {
        out.add(t.get());
      }
      return out;
    } finally {
      pool.shutdown();
    }
  }

  private static long[] done(long[] nanos) {
    return java.util.Arrays.stream(nanos).filter(n -> n >= 0).toArray();
  }

  private static String claim(String token, String name) throws Exception {
    String payload = token.split("\\.")[1];
    return JSON.readTree(Base64.getUrlDecoder().decode(payload)).get(name).asText();
  }

  // --- environment --------------------------------------------------------------------------

  private void setUp() throws Exception {
    Files.createDirectories(dir);
    for (String store : List.of("neo4j", "state")) {
      if (Files.exists(dir.resolve(store))) {
        try (var walk = Files.walk(dir.resolve(store))) {
          walk.sorted(Collections.reverseOrder()).forEach(p -> p.toFile().delete());
        }
      }
    }
    adminPassword = randomPassword();
    statePassword = randomPassword();
    String leaseKey = randomPassword();
    seal = new LeaseSeal(List.of(leaseKey));
    log("starting the embedded Neo4j servers (in this JVM) and the GitLab stand-in");
    neo4j = EmbeddedNeo4j.start(dir.resolve("neo4j"), 0, adminPassword);
    state = EmbeddedNeo4j.start(dir.resolve("state"), 0, statePassword);
    admin =
        GraphDatabase.driver(
            neo4j.boltURI(),
            AuthTokens.basic("neo4j", adminPassword),
            Config.builder().withMaxConnectionPoolSize(64).build());
    stateAdmin = GraphDatabase.driver(state.boltURI(), AuthTokens.basic("neo4j", statePassword));
    passwordFile = BrokerProcess.secretFile(dir.resolve("admin-password"), adminPassword);
    leaseKeysFile = BrokerProcess.secretFile(dir.resolve("lease-keys"), leaseKey);
    gitlab = GitLabStandIn.start();
    KEY.set(gitlab.publicKey());
  }

  private BrokerProcess startBroker(String name, Map<String, String> extra) throws Exception {
    return startBroker(name, extra, true);
  }

  private BrokerProcess startBroker(String name, Map<String, String> extra, boolean archive)
      throws Exception {
    Map<String, String> env = new HashMap<>();
    env.put("QUARKUS_NEO4J_URI", state.boltURI().toString());
    env.put("QUARKUS_NEO4J_AUTHENTICATION_USERNAME", "neo4j");
    env.put("QUARKUS_NEO4J_AUTHENTICATION_PASSWORD", statePassword);
    env.put("BROKER_LEASE_MAC_KEYS_FILE", leaseKeysFile.toString());
    env.put("BROKER_NEO4J_TARGETS_DEMO_URI", neo4j.boltURI().toString());
    env.put("BROKER_NEO4J_TARGETS_DEMO_ADMIN_PASSWORD_FILE", passwordFile.toString());
    env.put("BROKER_GITLAB_INSTANCES_DEMO_URL", gitlab.url());
    env.put("BROKER_GITLAB_ALLOW_PLAIN_HTTP", "true");
    env.put("BROKER_GITLAB_INSTANCES_DEMO_AUDIENCE", AUD);
    env.put("BROKER_GITLAB_INSTANCES_DEMO_API_TOKEN", "bench-read-api-token");
    env.put("BROKER_GITLAB_INSTANCES_DEMO_WEBHOOK_SECRET", WEBHOOK_SECRET);
    env.put("BROKER_POLICY_FILE", Path.of("bench", "policy.yml").toAbsolutePath().toString());
    int port = freePort();
    env.put("BROKER_API_PUBLIC_URL", "http://127.0.0.1:" + port);
    // The benchmark measures the broker, not its rate limits: one project, one address, flat out.
    env.put("BROKER_API_RATE_LIMIT_PROJECT_PER_MINUTE", "100000000");
    env.put("BROKER_API_RATE_LIMIT_ADDRESS_PER_MINUTE", "100000000");
    env.putAll(extra);
    BrokerProcess b =
        BrokerProcess.start(brokerJava, port, env, brokerJvm, archive, dir.resolve(name + ".log"));
    Cpu.BROKER_PID = b.process.pid();
    return b;
  }

  private static int freePort() throws Exception {
    try (var s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private Map<String, Object> machine() throws Exception {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put(
        "date",
        DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(Instant.now().atOffset(ZoneOffset.UTC)));
    m.put("nproc", Runtime.getRuntime().availableProcessors());
    for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
      if (line.startsWith("MemTotal:")) {
        m.put("mem_total_mb", Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024);
      }
    }
    Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
        .filter(l -> l.startsWith("model name"))
        .findFirst()
        .ifPresent(l -> m.put("cpu", l.substring(l.indexOf(':') + 1).trim()));
    m.put(
        "java",
        System.getProperty("java.vm.name")
            + " "
            + System.getProperty("java.runtime.version")
            + " ("
            + System.getProperty("java.vendor")
            + ")");
    m.put("broker_jvm_options", String.join(" ", brokerJvm));
    m.put("load_average_1m_at_start", Cpu.loadAverage());
    return m;
  }

  // --- report -------------------------------------------------------------------------------

  @SuppressWarnings("unchecked")
  private void report(List<Map<String, Object>> levels) throws Exception {
    for (Map<String, Object> l : levels) {
      int c = (int) l.get("concurrency");
      var ex = (Map<String, Object>) l.get("exchange");
      var pair = (Map<String, Object>) l.get("floor_create_drop_user");
      var create = (Map<String, Object>) l.get("floor_create_user_only");
      var verify = (Map<String, Object>) l.get("floor_rs256_verify");
      row(
          "exchange c=" + c,
          String.format(
              "p50 %s / p95 %s / p99 %s ms, %s/s",
              ex.get("p50_ms"), ex.get("p95_ms"), ex.get("p99_ms"), ex.get("per_second")),
          c == 8 ? "p99 <= 50 ms" : c == 32 ? ">= 200/s" : "",
          c == 8
              ? ok((double) ex.get("p99_ms") <= 50)
              : c == 32 ? ok((double) ex.get("per_second") >= 200) : "");
      row(
          "  floor c=" + c,
          String.format(
              "CREATE+DROP p50 %s ms (%s/s); CREATE p50 %s ms; RS256 verify p50 %s ms (%s/s)",
              pair.get("p50_ms"),
              pair.get("per_second"),
              create.get("p50_ms"),
              verify.get("p50_ms"),
              verify.get("per_second")),
          "",
          "");
      double r = (double) l.get("ratio_p50_exchange_to_create_drop");
      row(
          "  exchange ÷ floor c=" + c,
          String.format(
              "%.2f× CREATE+DROP, %.2f× CREATE alone",
              r, (double) l.get("ratio_p50_exchange_to_create_only")),
          c == 1 ? "<= 1.8× (p50)" : "",
          c == 1 ? ok(r <= 1.8) : "");
    }
    var g = (Map<String, Object>) results.get("gitlab");
    if (g != null && g.containsKey("warm_calls_per_1000")) {
      double per1000 = (double) g.get("warm_calls_per_1000");
      long waited = ((Number) g.get("warm_fact_reads_that_waited")).longValue();
      row(
          "GitLab calls / 1000 exchanges (warm)",
          String.format(
              "%s (%s calls in %s exchanges); fact reads that waited for GitLab: %d (the calls"
                  + " are background refreshes, one per fact per 3/4 TTL, not per exchange)",
              per1000, g.get("warm_calls"), g.get("warm_exchanges"), waited),
          "0",
          ok(waited == 0) + " (on the exchange path)");
    }
    var cold = (Map<String, Object>) results.get("cold");
    var coldNew = (Map<String, Object>) cold.get("new_project_exchange");
    row(
        "cold-cache exchange",
        String.format(
            "new project: p50 %s ms, %s GitLab calls; first after the first start: %s ms",
            coldNew == null ? "-" : coldNew.get("p50_ms"),
            cold.get("new_project_gitlab_calls_each"),
            cold.get("first_exchange_after_first_start_ms")),
        "",
        "");
    Number firstAfterReady = (Number) cold.get("first_exchange_after_ready_ms_median");
    Double warm =
        levels.stream()
            .filter(l -> (int) l.get("concurrency") == 1)
            .map(l -> (Double) ((Map<String, Object>) l.get("exchange")).get("p50_ms"))
            .findFirst()
            .orElse(null);
    if (firstAfterReady != null) {
      row(
          "first exchange after ready",
          String.format(
              "median %s ms over restarts %s (a new job of a known project: one GitLab call);"
                  + " warm p50 at c=1: %s ms",
              firstAfterReady,
              cold.get("first_exchange_after_ready_ms"),
              warm == null ? "-" : warm),
          "<= warm p50 + 50 ms",
          warm == null ? "n/a" : ok(firstAfterReady.doubleValue() <= warm + 50));
    }
    var rev = (Map<String, Object>) results.get("revocation");
    if (rev == null) {
      row("revocation (webhook → login refused)", "not run", "p99 <= 1 s", "n/a");
    } else if (rev.containsKey("webhook_to_login_refused")) {
      var r = (Map<String, Object>) rev.get("webhook_to_login_refused");
      row(
          "revocation (webhook → login refused)",
          String.format(
              "p50 %s ms / p99 %s ms over %s jobs (%s never refused)",
              r.get("p50_ms"), r.get("p99_ms"), r.get("n"), r.get("errors")),
          "p99 <= 1 s",
          ok((double) r.get("p99_ms") <= 1000 && (int) r.get("errors") == 0));
    } else {
      row(
          "revocation (webhook → login refused)",
          String.valueOf(rev.get("status")),
          "p99 <= 1 s",
          "n/a");
    }
    var sw = (Map<String, Object>) results.get("sweep");
    if (sw.containsKey("leases")) {
      boolean complete = (boolean) sw.get("complete");
      double t = (double) sw.get("ready_to_done_s");
      row(
          "sweep of "
              + sw.get("leases")
              + " expired leases"
              + (((int) sw.get("leases")) < (int) sw.get("wanted")
                  ? " (of " + sw.get("wanted") + " wanted: issuing hit its time limit)"
                  : ""),
          String.format(
              "%s%s s after ready (first revocation at %s s, %s/s); %s users left%s",
              complete ? "" : "INCOMPLETE " + sw.get("revoked") + " revoked in ",
              t,
              sw.get("first_revocation_after_ready_s"),
              sw.get("revocations_per_second"),
              sw.get("users_left"),
              complete
                  ? ""
                  : "; projected for "
                      + sw.get("wanted")
                      + ": "
                      + sw.get("extrapolated_s_for_wanted")
                      + " s after ready"),
          "<= 60 s",
          ok(complete && t <= 60));
    } else {
      row("sweep", String.valueOf(sw.get("status")), "<= 60 s", "n/a");
    }
    var start = (Map<String, Object>) results.get("start");
    long ready = ((Number) start.get("ready_ms")).longValue();
    Number imageReady = (Number) start.get("restarts_with_archive_ready_ms_median");
    Number jarReady = (Number) start.get("restarts_ready_ms_median");
    Number goalReady = imageReady != null ? imageReady : jarReady != null ? jarReady : ready;
    row(
        "start: jar → ready",
        String.format(
            "%s%s first start %d ms (Quarkus 'started in' %s s, Neo4j just started)%s",
            imageReady == null
                ? ""
                : "median "
                    + imageReady
                    + " ms over restarts "
                    + start.get("restarts_with_archive_ready_ms")
                    + " with the class-data archive (container image); ",
            jarReady == null
                ? ""
                : "median "
                    + jarReady
                    + " ms over restarts "
                    + start.get("restarts_ready_ms")
                    + (imageReady == null ? "" : " without it (plain jar)")
                    + ";",
            ready,
            start.get("quarkus_started_s"),
            start.containsKey("ready_ms_with_state")
                ? "; with 10k leases in state: " + start.get("ready_ms_with_state") + " ms"
                : ""),
        "<= 3 s (median)",
        ok(goalReady.longValue() <= 3000));
    var mem = (Map<String, Object>) results.get("memory");
    long after = ((Number) mem.get("rss_after_load_mb")).longValue();
    row(
        "RSS",
        String.format(
            "idle %s MB, after load %s MB (peak %s MB)%s",
            mem.get("rss_idle_mb"),
            after,
            mem.get("rss_peak_mb"),
            mem.containsKey("rss_after_sweep_mb")
                ? ", after sweep " + mem.get("rss_after_sweep_mb") + " MB"
                : ""),
        "<= 300 MB after load",
        ok(after <= 300));
    gatewayRows();
    pooledRows();
    results.put(
        "table",
        table.stream()
            .map(r -> Map.of("figure", r[0], "measured", r[1], "goal", r[2], "met", r[3]))
            .toList());

    StringBuilder out =
        new StringBuilder("\n| figure | measured | goal | met |\n|---|---|---|---|\n");
    for (String[] r : table) {
      out.append("| ").append(String.join(" | ", r)).append(" |\n");
    }
    System.out.println(out);
    Path resultsDir = Path.of("bench", "results");
    Files.createDirectories(resultsDir);
    String stamp =
        DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .format(Instant.now().atOffset(ZoneOffset.UTC));
    Path file = resultsDir.resolve("bench-" + stamp + ".json");
    JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), results);
    System.out.println("results: " + file.toAbsolutePath());
  }

  /** The gateway's figures against direct Bolt, with the goals of issues 14 and 15. */
  @SuppressWarnings("unchecked")
  private void gatewayRows() {
    var g = (Map<String, Object>) results.get("gateway");
    if (g == null || !g.containsKey("read")) {
      return;
    }
    for (var level : (List<Map<String, Object>>) g.get("read")) {
      var d = (Map<String, Object>) level.get("direct");
      var gw = (Map<String, Object>) level.get("gateway");
      var cpu = (Map<String, Object>) level.get("gateway_cpu");
      double ratio = (double) level.get("ratio_p50_gateway_to_direct");
      row(
          "gateway read c=" + level.get("concurrency"),
          String.format(
              "p50 %s ms (direct %s ms, %sx%s); %s/s (direct %s/s); broker CPU %s ms/query",
              gw.get("p50_ms"),
              d.get("p50_ms"),
              ratio,
              relay(level),
              gw.get("per_second"),
              d.get("per_second"),
              cpu.get("broker_cpu_ms_per_op")),
          "p50 <= 1.2x direct",
          ok(ratio <= 1.2));
    }
    var stream = (Map<String, Object>) g.get("stream");
    double streamRatio = (double) stream.get("ratio_gateway_to_direct");
    row(
        "gateway stream 100,000 records",
        String.format(
            "%s records/s (direct %s/s, %sx)",
            stream.get("gateway_records_per_second"),
            stream.get("direct_records_per_second"),
            streamRatio),
        ">= 0.8x direct",
        ok(streamRatio >= 0.8));
    var write = (Map<String, Object>) g.get("write_c8");
    var wd = (Map<String, Object>) write.get("direct");
    var wg = (Map<String, Object>) write.get("gateway");
    double writeRatio = (double) write.get("ratio_p50_gateway_to_direct");
    row(
        "gateway write c=8 (UNWIND 100 rows MERGE)",
        String.format(
            "p50 %s ms (direct %s ms, %sx%s); classifier cache hit rate %s; broker CPU %s ms/query",
            wg.get("p50_ms"),
            wd.get("p50_ms"),
            writeRatio,
            relay(write),
            write.get("classifier_hit_rate"),
            ((Map<String, Object>) write.get("gateway_cpu")).get("broker_cpu_ms_per_op")),
        "p50 <= 1.2x direct",
        ok(writeRatio <= 1.2));
  }

  /** ", a plain relay: p50 … ms, …x", the cost of any proxy hop, where the run measured one. */
  @SuppressWarnings("unchecked")
  private static String relay(Map<String, Object> compared) {
    var relay = (Map<String, Object>) compared.get("relay");
    return relay == null
        ? ""
        : String.format(
            "; a plain relay: p50 %s ms, %sx",
            relay.get("p50_ms"), compared.get("ratio_p50_relay_to_direct"));
  }

  /** The pooled gateway target's figures, with the goals of issue 18. */
  @SuppressWarnings("unchecked")
  private void pooledRows() {
    var p = (Map<String, Object>) results.get("pooled");
    if (p == null || !p.containsKey("levels")) {
      return;
    }
    for (var level : (List<Map<String, Object>>) p.get("levels")) {
      var ex = (Map<String, Object>) level.get("exchange");
      var floor = (Map<String, Object>) level.get("floor_create_drop_user");
      double ratio = (double) level.get("ratio_p50_exchange_to_create_drop");
      boolean c8 = (int) level.get("concurrency") == 8;
      row(
          "pooled exchange c=" + level.get("concurrency"),
          String.format(
              "p50 %s / p99 %s ms (CREATE+DROP p50 %s ms, %sx)",
              ex.get("p50_ms"), ex.get("p99_ms"), floor.get("p50_ms"), ratio),
          c8 ? "<= 1.0x CREATE+DROP; p99 <= 50 ms" : "<= 1.0x CREATE+DROP",
          ok(ratio <= 1.0 && (!c8 || (double) ex.get("p99_ms") <= 50)));
    }
    for (String replica : List.of("same", "other")) {
      var cut = (Map<String, Object>) p.get("webhook_to_connection_closed_" + replica + "_replica");
      if (cut != null) {
        row(
            "pooled revocation, " + replica + " replica (webhook → connection closed)",
            String.format("p50 %s / p99 %s ms", cut.get("p50_ms"), cut.get("p99_ms")),
            "p99 <= 100 ms",
            ok((double) cut.get("p99_ms") <= 100));
      }
    }
  }

  private void row(String figure, String measured, String goal, String met) {
    table.add(new String[] {figure, measured, goal, met});
  }

  private static String ok(boolean met) {
    return met ? "yes" : "NO";
  }

  @SuppressWarnings("unchecked")
  private void put(String section, String key, Object value) {
    ((Map<String, Object>) results.computeIfAbsent(section, k -> new LinkedHashMap<>()))
        .put(key, value);
  }

  private static double round(double v) {
    return Math.round(v * 100) / 100.0;
  }

  private static String randomPassword() {
    byte[] b = new byte[24];
    new SecureRandom().nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  private void log(String format, Object... args) {
    System.out.printf(
        "[%6.1fs] %s%n", (System.nanoTime() - startedAt) / 1e9, String.format(format, args));
  }

  private void close() {
    try {
      if (broker != null) {
        broker.close();
      }
    } catch (Exception ignored) {
      // best effort
    }
    if (gitlab != null) {
      gitlab.close();
    }
    if (admin != null) {
      admin.close();
    }
    if (neo4j != null) {
      neo4j.close();
    }
    if (stateAdmin != null) {
      stateAdmin.close();
    }
    if (state != null) {
      state.close();
    }
  }
}
