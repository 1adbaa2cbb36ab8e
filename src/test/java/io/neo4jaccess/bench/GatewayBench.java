package io.neo4jaccess.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.neo4j.driver.AuthTokens;
import org.neo4j.driver.Config;
import org.neo4j.driver.Driver;
import org.neo4j.driver.GraphDatabase;
import org.neo4j.driver.Session;

/**
 * The Bolt gateway against direct Bolt on the same Neo4j, in the same run, with one job's
 * credentials (a write grant of target {@code gated}): a one-row read at each concurrency, 100,000
 * records streamed, a 100-row {@code UNWIND … MERGE} at c=8 with the classifier cache's hit rate,
 * and the broker's CPU per query through the gateway; beside them a plain TCP relay ({@link Relay})
 * when there is one. The paths take turns in rounds ({@link #compared}), after a warm-up of all
 * that lasts until the broker's JIT compiler is quiet.
 */
final class GatewayBench {

  static final String READ = "MATCH (n:BenchRow {id: $id}) RETURN n.name AS name";
  static final String STREAM = "UNWIND range(1, 100000) AS i RETURN i";
  static final String WRITE =
      "UNWIND $rows AS r MERGE (n:BenchWrite {id: r.id}) SET n.value = r.value";
  private static final int STREAM_RUNS = 5;
  private static final double WARM_COMPILER_CORES = 0.05;
  private static final int MAX_WARM_ROUNDS = 8;
  private static final int ROUNDS = 4;

  private final Driver direct;
  private final Driver gateway;
  private final Relay relay;
  private final String brokerUrl;
  private final BiConsumer<String, Object[]> log;
  private final HttpClient http = HttpClient.newHttpClient();

  /**
   * @param issued the exchange answer of a job with a write grant on the gateway target
   * @param directUri Neo4j's own Bolt address, which the same user logs in to directly
   */
  GatewayBench(
      JsonNode issued, String directUri, String brokerUrl, BiConsumer<String, Object[]> log) {
    var auth = AuthTokens.basic(issued.path("username").asText(), issued.path("password").asText());
    Config config =
        Config.builder()
            .withMaxConnectionPoolSize(64)
            .withConnectionAcquisitionTimeout(30, TimeUnit.SECONDS)
            .build();
    this.direct = GraphDatabase.driver(directUri, auth, config);
    this.gateway = GraphDatabase.driver(issued.path("uri").asText(), auth, config);
    this.relay = Relay.start(URI.create(directUri), auth, config);
    this.brokerUrl = brokerUrl;
    this.log = log;
  }

  /** Runs every pair; answers the JSON section. */
  Map<String, Object> run(List<Integer> levels, int reads, int writes) throws Exception {
    Map<String, Object> out = new LinkedHashMap<>();
    try (Session s = direct.session()) {
      s.run("UNWIND range(1, 1000) AS id MERGE (:BenchRow {id: id, name: 'row ' + id})").consume();
      // As a data load would have it: MERGE finds its node by index, not by scanning the label.
      s.run("CREATE INDEX bench_write_id IF NOT EXISTS FOR (n:BenchWrite) ON (n.id)").consume();
      s.run("CALL db.awaitIndexes(60)").consume();
    }
    List<Integer> ids = IntStream.range(0, reads).map(i -> 1 + i % 1000).boxed().toList();
    out.put("warm_up", warmUp(ids, writes / 2));
    List<Map<String, Object>> perLevel = new ArrayList<>();
    for (int c : levels) {
      Map<String, Object> level = new LinkedHashMap<>();
      level.put("concurrency", c);
      level.putAll(compared("read c=" + c, c, ids, GatewayBench::read));
      perLevel.add(level);
    }
    out.put("read", perLevel);

    double directRate = stream(direct);
    Cpu.Mark mark = Cpu.Mark.now();
    double gatewayRate = stream(gateway);
    Map<String, Object> streamCpu = mark.since(STREAM_RUNS);
    log(
        "  stream 100,000 records: direct %.0f/s, gateway %.0f/s; cpu %s",
        directRate, gatewayRate, streamCpu);
    Map<String, Object> stream = new LinkedHashMap<>();
    stream.put("direct_records_per_second", Math.round(directRate));
    stream.put("gateway_records_per_second", Math.round(gatewayRate));
    stream.put("ratio_gateway_to_direct", ratio(gatewayRate, directRate));
    stream.put("gateway_cpu_per_run", streamCpu);
    out.put("stream", stream);

    long[] before = classifier();
    Map<String, Object> write = compared("write c=8", 8, rows(writes), GatewayBench::write);
    long[] after = classifier();
    long hits = after[0] - before[0];
    long parses = after[1] - before[1];
    double hitRate = hits + parses == 0 ? 0 : (double) hits / (hits + parses);
    log("  write c=8 classifier hit rate %.4f", hitRate);
    write.put("classifier_hits", hits);
    write.put("classifier_parses", parses);
    write.put("classifier_hit_rate", Math.round(hitRate * 10_000) / 10_000.0);
    out.put("write_c8", write);
    return out;
  }

  /** One workload on one path. */
  private interface Workload<T> {
    boolean run(Driver driver, T item) throws Exception;
  }

  /**
   * One workload on every path (direct, gateway, relay) at concurrency {@code c}, the paths taking
   * turns in {@value #ROUNDS} rounds ({@link Load#inTurns}). Each path's figures are of all its
   * rounds together; the broker's CPU is counted over the gateway's rounds only.
   */
  private <T> Map<String, Object> compared(String name, int c, List<T> items, Workload<T> work) {
    Map<String, Driver> paths = new LinkedHashMap<>();
    paths.put("direct", direct);
    paths.put("gateway", gateway);
    if (relay != null) {
      paths.put("relay", relay.driver());
    }
    Cpu.Span gatewayCpu = new Cpu.Span();
    Map<String, IntFunction<Load.Timings>> runs = new LinkedHashMap<>();
    paths.forEach(
        (path, driver) ->
            runs.put(
                path,
                round -> {
                  Cpu.Mark mark = Cpu.Mark.now();
                  Load.Timings t =
                      Load.time(
                          c, Load.share(items, round, ROUNDS), item -> work.run(driver, item));
                  if (path.equals("gateway")) {
                    gatewayCpu.add(mark);
                  }
                  return t;
                }));
    Map<String, Load.Timings> timings = Load.inTurns(ROUNDS, runs);
    Map<String, Object> out = new LinkedHashMap<>();
    Stats d = timings.get("direct").stats();
    timings.forEach(
        (path, t) -> {
          Stats stats = t.stats();
          log("  %s %-7s %s", name, path, stats);
          out.put(path, stats.json());
          if (!path.equals("direct")) {
            out.put("ratio_p50_" + path + "_to_direct", ratio(stats.p50(), d.p50()));
          }
        });
    Map<String, Object> cpu = gatewayCpu.perOperation(timings.get("gateway").nanos().length);
    log("  %s gateway cpu %s", name, cpu);
    out.put("gateway_cpu", cpu);
    return out;
  }

  /**
   * Runs every workload both ways in rounds until the broker's JIT compiler threads use under
   * {@value #WARM_COMPILER_CORES} of a core over a round (at most {@value #MAX_WARM_ROUNDS}
   * rounds): the broker with the gateway has just started, and a compiler still at work takes CPU
   * from both sides of every comparison on this machine.
   */
  private Map<String, Object> warmUp(List<Integer> ids, int writes) throws Exception {
    int round = 0;
    double compilerCores;
    do {
      round++;
      long t0 = System.nanoTime();
      double compiler0 = Cpu.compilerMs(Cpu.BROKER_PID);
      for (Driver d : drivers()) {
        for (int c : List.of(1, 8, 32)) {
          Load.run(c, ids, id -> read(d, id));
        }
        stream(d);
        Load.run(8, rows(writes), r -> write(d, r));
      }
      compilerCores =
          (Cpu.compilerMs(Cpu.BROKER_PID) - compiler0) / ((System.nanoTime() - t0) / 1e6);
      log("gateway warm-up round %d: broker JIT compiler %.2f cores", round, compilerCores);
    } while (compilerCores >= WARM_COMPILER_CORES && round < MAX_WARM_ROUNDS);
    Map<String, Object> warm = new LinkedHashMap<>();
    warm.put("rounds", round);
    warm.put("broker_compiler_cores_last_round", Math.round(compilerCores * 100) / 100.0);
    return warm;
  }

  private List<Driver> drivers() {
    return relay == null ? List.of(direct, gateway) : List.of(direct, gateway, relay.driver());
  }

  void close() {
    direct.close();
    gateway.close();
    if (relay != null) {
      relay.close();
    }
  }

  private static boolean read(Driver driver, int id) {
    try (Session s = driver.session()) {
      return s.run(READ, Map.of("id", id)).single().get("name").asString().startsWith("row");
    }
  }

  private static boolean write(Driver driver, List<Map<String, Object>> rows) {
    try (Session s = driver.session()) {
      s.run(WRITE, Map.of("rows", rows)).consume();
      return true;
    }
  }

  /** Records per second over {@value #STREAM_RUNS} runs, the best run counted. */
  private double stream(Driver driver) {
    long best = Long.MAX_VALUE;
    for (int i = 0; i < STREAM_RUNS; i++) {
      long t0 = System.nanoTime();
      long n;
      try (Session s = driver.session()) {
        n = s.run(STREAM).stream().count();
      }
      if (n != 100_000) {
        throw new IllegalStateException("streamed " + n + " records");
      }
      best = Math.min(best, System.nanoTime() - t0);
    }
    return 100_000 / (best / 1e9);
  }

  /** Batches of 100 rows each, with ids that repeat across batches (MERGE finds or creates). */
  private static List<List<Map<String, Object>>> rows(int batches) {
    List<List<Map<String, Object>>> all = new ArrayList<>(batches);
    for (int b = 0; b < batches; b++) {
      int base = (b % 50) * 100;
      all.add(
          IntStream.range(0, 100)
              .mapToObj(i -> Map.<String, Object>of("id", base + i, "value", "v" + i))
              .toList());
    }
    return all;
  }

  /** The broker's classifier counters {hits, parses} from its Prometheus metrics. */
  private long[] classifier() throws Exception {
    String metrics =
        http.send(
                HttpRequest.newBuilder(URI.create(brokerUrl + "/q/metrics")).build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    return new long[] {counter(metrics, "hits"), counter(metrics, "parses")};
  }

  private static long counter(String metrics, String name) {
    Matcher m =
        Pattern.compile("(?m)^broker_gateway_classifier_" + name + "_total(?:\\{[^}]*})? (\\S+)")
            .matcher(metrics);
    return m.find() ? (long) Double.parseDouble(m.group(1)) : 0;
  }

  private static double ratio(double a, double b) {
    return b == 0 ? 0 : Math.round(a / b * 100) / 100.0;
  }

  private void log(String format, Object... args) {
    log.accept(format, args);
  }
}
