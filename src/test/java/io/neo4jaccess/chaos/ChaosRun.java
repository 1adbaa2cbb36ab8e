package io.neo4jaccess.chaos;

import io.neo4jaccess.testing.Accounting;
import io.neo4jaccess.testing.EmbeddedNeo4j;
import io.neo4jaccess.testing.GitLabStandIn;
import io.neo4jaccess.testing.LoadDriver;
import io.neo4jaccess.testing.SecretsSeen;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.neo4j.driver.AuthTokens;
import org.neo4j.driver.Driver;
import org.neo4j.driver.GraphDatabase;
import org.neo4j.harness.Neo4j;

/**
 * Faults that need the packaged broker as a process ({@code target/quarkus-app/quarkus-run.jar}),
 * against two embedded Neo4j servers (the target, and the state store on a server of its own, as in
 * production; auth on) and the GitLab stand-in:
 *
 * <ol>
 *   <li>bad policies: the broker refuses to start, exit code ≠ 0, the output naming rule and field;
 *       so does a bad layout (the state store on the target's server, no lease key);
 *   <li>load: {@code chaos.exchanges} (2,000) exchanges at concurrency 32 with Job Hooks, then the
 *       accounting invariant after a sweep;
 *   <li>SIGKILL during load, restart on the same port: within one sweep (plus {@code stuck-grace}
 *       for leases the kill left {@code issuing}) every user is owned by a live lease;
 *   <li>no token or password the run saw appears in any broker output.
 * </ol>
 *
 * Writes {@code target/chaos/result.md}; exits 1 when an invariant fails. Run by {@code chaos/run}.
 */
public final class ChaosRun {

  static final String AUDIENCE = "neo4j-access";
  static final String WEBHOOK_SECRET = random();
  static final Path DIR = Path.of("target", "chaos").toAbsolutePath();
  static final List<String> report = new ArrayList<>();
  static final List<String> failures = new ArrayList<>();
  static final List<Path> logs = new ArrayList<>();

  public static void main(String[] args) throws Exception {
    int exchanges = Integer.getInteger("chaos.exchanges", 2000);
    int killLoad = Integer.getInteger("chaos.kill.exchanges", 600);
    Files.createDirectories(DIR);
    String adminPassword = random();
    String statePassword = random();
    String leaseKey = random();
    SecretsSeen.record(adminPassword);
    SecretsSeen.record(statePassword);
    SecretsSeen.record(leaseKey);
    SecretsSeen.record(WEBHOOK_SECRET);
    Neo4j neo4j = EmbeddedNeo4j.start(DIR.resolve("neo4j"), freePort(), adminPassword);
    Neo4j state = EmbeddedNeo4j.start(DIR.resolve("state"), 0, statePassword);
    GitLabStandIn gitlab = GitLabStandIn.start();
    Driver admin = GraphDatabase.driver(neo4j.boltURI(), AuthTokens.basic("neo4j", adminPassword));
    Driver stateAdmin =
        GraphDatabase.driver(state.boltURI(), AuthTokens.basic("neo4j", statePassword));
    Servers servers = new Servers(stateAdmin, admin);
    int port = freePort();
    Map<String, String> env = env(port, gitlab.url());
    env.put("QUARKUS_NEO4J_URI", state.boltURI().toString());
    env.put("QUARKUS_NEO4J_AUTHENTICATION_PASSWORD", statePassword);
    env.put("BROKER_NEO4J_TARGETS_DEMO_URI", neo4j.boltURI().toString());
    env.put("BROKER_NEO4J_TARGETS_DEMO_ADMIN_PASSWORD", adminPassword);
    env.put("BROKER_LEASE_MAC_KEYS", leaseKey);
    report.add("# chaos/run result\n");
    report.add(
        "Run "
            + Instant.now()
            + " on "
            + Runtime.getRuntime().availableProcessors()
            + " cores; broker = packaged jar as a process; two Neo4j 5.26 embedded (state store,"
            + " target).\n");
    try {
      badPolicies(env);
      badLayouts(env, neo4j, adminPassword);
      Process broker = start(env, "broker-1");
      awaitReady(port, broker);
      load(port, gitlab, servers, exchanges);
      broker = killDuringLoad(port, gitlab, servers, env, broker, killLoad);
      broker.destroy();
      broker.waitFor(30, TimeUnit.SECONDS);
      noLeaks();
    } finally {
      admin.close();
      stateAdmin.close();
      gitlab.close();
      neo4j.close();
      state.close();
    }
    report.add("\n" + (failures.isEmpty() ? "**All invariants held.**" : "**FAILED:**"));
    failures.forEach(f -> report.add("- " + f));
    Files.writeString(DIR.resolve("result.md"), String.join("\n", report) + "\n");
    System.out.println(String.join("\n", report));
    System.exit(failures.isEmpty() ? 0 : 1);
  }

  // --- 1. bad policies ----------------------------------------------------------------------

  static void badPolicies(Map<String, String> env) throws Exception {
    Map<String, String[]> cases = new LinkedHashMap<>();
    cases.put(
        "unknown_condition",
        new String[] {
          policy("{project_path: \"demo/*\", branch: main}", "{target: demo, access: full}"),
          "rule 'r1' field 'when.branch': unknown condition"
        });
    cases.put(
        "wrong_type",
        new String[] {
          policy(
              "{project_path: \"demo/*\", ref_protected: \"yes\"}", "{target: demo, access: full}"),
          "rule 'r1' field 'when.ref_protected': must be true or false"
        });
    cases.put(
        "unanchored",
        new String[] {
          policy("{ref: main}", "{target: demo, access: full}"), "rule 'r1': unanchored rule"
        });
    cases.put(
        "ttl_above_target_maximum",
        new String[] {
          policy("{project_path: \"demo/*\"}", "{target: demo, access: full, ttl: 9h}"),
          "rule 'r1' field 'grant.ttl'"
        });
    StringBuilder bomb = new StringBuilder("a: &a [x, x, x, x, x, x, x, x, x]\n");
    for (int i = 0; i < 9; i++) {
      char prev = (char) ('a' + i);
      char next = (char) ('b' + i);
      bomb.append(next).append(": &").append(next).append(" [");
      bomb.append(("*" + prev + ", ").repeat(9)).append("*").append(prev).append("]\n");
    }
    bomb.append("rules: *j\n");
    cases.put("yaml_alias_bomb", new String[] {bomb.toString(), "not valid YAML"});
    report.add("## Bad configuration: the broker refuses to start\n");
    report.add("| case | exit code | seconds | message found |");
    report.add("|---|---|---|---|");
    for (var c : cases.entrySet()) {
      Path file = DIR.resolve("bad-policy-" + c.getKey() + ".yml");
      Files.writeString(file, c.getValue()[0]);
      Map<String, String> e = new LinkedHashMap<>(env);
      e.put("BROKER_POLICY_FILE", file.toString());
      refusesToStart("bad-policy-" + c.getKey(), e, c.getValue()[1]);
    }
  }

  /**
   * The state store on a target's server (named by another host than the target's URI: the same
   * server all the same), and no lease key: the broker refuses to start.
   */
  static void badLayouts(Map<String, String> env, Neo4j target, String adminPassword)
      throws Exception {
    Map<String, String> shared = new LinkedHashMap<>(env);
    shared.put("QUARKUS_NEO4J_URI", "bolt://localhost:" + target.boltURI().getPort());
    shared.put("QUARKUS_NEO4J_AUTHENTICATION_PASSWORD", adminPassword);
    refusesToStart(
        "state-store-on-the-target", shared, "target 'demo' is on the Neo4j server of the state");
    Map<String, String> keyless = new LinkedHashMap<>(env);
    keyless.remove("BROKER_LEASE_MAC_KEYS");
    refusesToStart("no-lease-key", keyless, "no lease key");
  }

  /** Starts the broker with {@code env} and expects it to exit, naming {@code expected}. */
  static void refusesToStart(String name, Map<String, String> env, String expected)
      throws Exception {
    long t0 = System.nanoTime();
    Process p = start(env, name);
    boolean exited = p.waitFor(120, TimeUnit.SECONDS);
    if (!exited) {
      p.destroyForcibly();
    }
    String out = Files.readString(DIR.resolve(name + ".log"));
    boolean named = out.contains(expected);
    int code = exited ? p.exitValue() : -1;
    report.add(
        String.format(
            "| %s | %d | %.1f | %s |",
            name, code, (System.nanoTime() - t0) / 1e9, named ? "yes" : "NO"));
    if (!exited || code == 0 || !named) {
      failures.add(name + ": exited=" + exited + " code=" + code + " message named=" + named);
    }
  }

  static String policy(String when, String grant) {
    return "rules:\n  - name: r1\n    when: " + when + "\n    grant: " + grant + "\n";
  }

  // --- 2. load ------------------------------------------------------------------------------

  /** Administrator drivers on the state store's server and on the target's. */
  record Servers(Driver state, Driver target) {}

  static void load(int port, GitLabStandIn gitlab, Servers servers, int exchanges)
      throws Exception {
    LoadDriver driver = driver(port, gitlab);
    LoadDriver.Tally t = driver.run(exchanges, 32, 1_000_000L, 1_000_000L);
    report.add("\n## Load: " + exchanges + " exchanges at concurrency 32, with Job Hooks\n");
    report.add(
        String.format(
            "- elapsed %.1f s (%.0f exchanges/s including %d webhook deliveries); codes %s",
            t.elapsed().toMillis() / 1e3,
            exchanges / (t.elapsed().toMillis() / 1e3),
            t.webhooks(),
            t.codes()));
    report.add("- jobs reported finished by webhook: " + t.finishedJobs().size());
    // A 503 state_unavailable is an exchange whose lease the sweeper gave up (slower than the 5 s
    // stuck-grace under this load): the job retries it. Any other refusal is a failure.
    long retryable = t.count("state_unavailable");
    report.add(
        "- answered 503 state_unavailable (lease given up after stuck-grace, retryable): "
            + retryable);
    if (t.count("issued") + retryable != exchanges) {
      failures.add(
          "load: " + t.count("issued") + " of " + exchanges + " issued, codes " + t.codes());
    }
    Accounting a = settle(servers, Duration.ofSeconds(90), "after load");
    long activeExpected =
        t.issued().stream().filter(i -> !t.finishedJobs().containsKey(i.jobId())).count();
    report.add(
        "- after the sweep: users on target "
            + a.users().size()
            + ", active leases "
            + a.activeLeaseUsers().size()
            + " (expected "
            + activeExpected
            + "), leases by state "
            + a.leasesByState());
    if (a.activeLeaseUsers().size() != activeExpected) {
      failures.add(
          "load: " + a.activeLeaseUsers().size() + " active leases, expected " + activeExpected);
    }
  }

  // --- 3. SIGKILL during load ---------------------------------------------------------------

  static Process killDuringLoad(
      int port,
      GitLabStandIn gitlab,
      Servers servers,
      Map<String, String> env,
      Process broker,
      int count)
      throws Exception {
    LoadDriver driver = driver(port, gitlab);
    CompletableFuture<LoadDriver.Tally> running =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return driver.run(count, 32, 5_000_000L, 5_000_000L);
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    // Kill once the load is in full swing: a quarter of it issued.
    long before = activeLeases(servers.state());
    Instant deadline = Instant.now().plusSeconds(120);
    while (activeLeases(servers.state()) < before + count / 4 && Instant.now().isBefore(deadline)) {
      broker.waitFor(100, TimeUnit.MILLISECONDS);
    }
    Instant killedAt = Instant.now();
    broker.destroyForcibly(); // SIGKILL on Linux: no shutdown hook, no graceful drain
    broker.waitFor(30, TimeUnit.SECONDS);
    LoadDriver.Tally t = running.get(10, TimeUnit.MINUTES);
    Accounting atKill = Accounting.read(servers.state(), servers.target(), "demo", "ci_");
    report.add("\n## SIGKILL during load (" + count + " exchanges at concurrency 32)\n");
    report.add(
        "- killed after "
            + (activeLeases(servers.state()) - before)
            + " new active leases; client"
            + " outcomes "
            + t.codes());
    report.add(
        "- right after the kill: users "
            + atKill.users().size()
            + ", leases by state "
            + atKill.leasesByState()
            + ", violations "
            + atKill.violations());
    Process restarted = start(env, "broker-2");
    awaitReady(port, restarted);
    Instant ready = Instant.now();
    Accounting a = settle(servers, Duration.ofSeconds(60), "after SIGKILL");
    report.add(
        String.format(
            "- restarted and ready %.1f s after the kill; invariant held %.1f s after ready"
                + " (sweep-interval 2s, stuck-grace 5s)",
            Duration.between(killedAt, ready).toMillis() / 1e3,
            Duration.between(ready, Instant.now()).toMillis() / 1e3));
    report.add(
        "- after the sweep: users "
            + a.users().size()
            + ", active leases "
            + a.activeLeaseUsers().size()
            + ", leases by state "
            + a.leasesByState());
    long issued = t.count("issued");
    report.add(
        "- exchanges answered 200 during this phase: "
            + issued
            + "; every answered"
            + " lease is active (job running) or revoked (webhook): checked below");
    for (LoadDriver.Issued i : t.issued()) {
      boolean finished = t.finishedJobs().containsKey(i.jobId());
      boolean present = a.users().contains(i.username());
      if (!finished && !present && a.activeLeaseUsers().contains(i.username())) {
        failures.add("kill: active lease of job " + i.jobId() + " has no user");
      }
      if (finished && present) {
        failures.add("kill: finished job " + i.jobId() + " still has its user");
      }
    }
    return restarted;
  }

  static long activeLeases(Driver state) {
    try (var s = state.session()) {
      return s.run("MATCH (l:Lease {state: 'active'}) RETURN count(l) AS n")
          .single()
          .get("n")
          .asLong();
    }
  }

  /** Polls until the accounting invariant holds or the deadline passes; records a failure then. */
  static Accounting settle(Servers servers, Duration within, String when) {
    Instant deadline = Instant.now().plus(within);
    Accounting a = Accounting.read(servers.state(), servers.target(), "demo", "ci_");
    while (!a.violations().isEmpty() && Instant.now().isBefore(deadline)) {
      try {
        TimeUnit.MILLISECONDS.sleep(250);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      a = Accounting.read(servers.state(), servers.target(), "demo", "ci_");
    }
    if (!a.violations().isEmpty()) {
      failures.add(when + ": " + a.violations());
    }
    return a;
  }

  // --- 4. leaks -----------------------------------------------------------------------------

  static void noLeaks() throws IOException {
    List<String> secrets = new ArrayList<>(SecretsSeen.all());
    report.add("\n## Leaks\n");
    int leaked = 0;
    for (Path log : logs) {
      List<String> found = SecretsSeen.leakedInto(log, secrets);
      leaked += found.size();
      if (!found.isEmpty()) {
        failures.add("secrets in " + log.getFileName() + ": " + found.size());
      }
    }
    report.add(
        "- searched "
            + logs.size()
            + " broker outputs for "
            + secrets.size()
            + " secrets (ID tokens, issued passwords, admin passwords, lease key, webhook"
            + " secret): "
            + leaked
            + " found");
  }

  // --- the broker process -------------------------------------------------------------------

  static LoadDriver driver(int port, GitLabStandIn gitlab) {
    return new LoadDriver(
        "http://127.0.0.1:" + port, gitlab, AUDIENCE, WEBHOOK_SECRET, 22, "demo/app");
  }

  /** The broker's settings but its Neo4j servers and lease key, which the caller adds. */
  static Map<String, String> env(int port, String gitlab) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("QUARKUS_HTTP_PORT", String.valueOf(port));
    env.put("QUARKUS_HTTP_HOST", "127.0.0.1");
    env.put("QUARKUS_NEO4J_AUTHENTICATION_USERNAME", "neo4j");
    env.put("BROKER_GITLAB_INSTANCES_MAIN_URL", gitlab);
    // The stand-in serves plain HTTP on loopback; a real deployment must not set this.
    env.put("BROKER_GITLAB_ALLOW_PLAIN_HTTP", "true");
    env.put("BROKER_GITLAB_INSTANCES_MAIN_AUDIENCE", AUDIENCE);
    env.put("BROKER_GITLAB_INSTANCES_MAIN_API_TOKEN", "chaos-read-api-token");
    env.put("BROKER_GITLAB_INSTANCES_MAIN_WEBHOOK_SECRET", WEBHOOK_SECRET);
    env.put("BROKER_POLICY_FILE", loadPolicy().toString());
    env.put("BROKER_LEASE_SWEEP_INTERVAL", "2s");
    env.put("BROKER_LEASE_STUCK_GRACE", "5s");
    // Thousands of exchanges of one project from one address: far beyond a real pipeline's rate.
    env.put("BROKER_API_RATE_LIMIT_PROJECT_PER_MINUTE", "100000000");
    env.put("BROKER_API_RATE_LIMIT_ADDRESS_PER_MINUTE", "100000000");
    return env;
  }

  /**
   * The demo's rules for its full-access target, the one target the chaos broker has (the demo's
   * gateway target is not part of it).
   */
  static Path loadPolicy() {
    try {
      Files.createDirectories(DIR);
      return Files.writeString(
          DIR.resolve("policy.yml"),
          """
          rules:
            - name: demo-protected-refs
              when: {project_path: "demo/*", ref_protected: true, pipeline_source: [push, web, schedule]}
              grant: {target: demo, access: full, ttl: 10m}
            - name: demo-merge-requests
              when: {project_path: "demo/*", pipeline_source: merge_request_event, fork: false}
              grant: {target: demo, access: full, ttl: 5m}
          """);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Process start(Map<String, String> env, String name) throws IOException {
    Path jar = Path.of("target", "quarkus-app", "quarkus-run.jar");
    if (!Files.exists(jar)) {
      throw new IllegalStateException("run 'mvn package -DskipTests' first: " + jar + " missing");
    }
    ProcessBuilder pb =
        new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-jar",
            jar.toString());
    pb.environment().putAll(env);
    Path log = DIR.resolve(name + ".log");
    logs.add(log);
    pb.redirectErrorStream(true).redirectOutput(log.toFile());
    return pb.start();
  }

  static void awaitReady(int port, Process broker) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    Instant deadline = Instant.now().plusSeconds(120);
    while (Instant.now().isBefore(deadline)) {
      if (!broker.isAlive()) {
        throw new IllegalStateException("the broker exited with " + broker.exitValue());
      }
      try {
        var r =
            http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready"))
                    .build(),
                HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      broker.waitFor(200, TimeUnit.MILLISECONDS);
    }
    throw new IllegalStateException("the broker did not become ready within 120 s");
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  static String random() {
    byte[] b = new byte[24];
    new SecureRandom().nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  private ChaosRun() {}

  static {
    System.setProperty("file.encoding", StandardCharsets.UTF_8.name());
  }
}
