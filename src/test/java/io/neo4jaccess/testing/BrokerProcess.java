package io.neo4jaccess.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged broker ({@code target/quarkus-app/quarkus-run.jar}) as a child process, the same jar
 * that runs in production: for the demo, the benchmark and tests that kill it.
 */
public final class BrokerProcess implements AutoCloseable {

  public final Process process;
  public final String url;
  public final Path log;

  /** The class-data archive (AppCDS) {@code mvn package} writes next to the jar. */
  public static final String CLASS_DATA_ARCHIVE = "app-cds.jsa";

  /** Process start to the first 200 from {@code /q/health/ready}, in milliseconds. */
  public final long readyMillis;

  private BrokerProcess(Process process, String url, Path log, long readyMillis) {
    this.process = process;
    this.url = url;
    this.log = log;
    this.readyMillis = readyMillis;
  }

  public static BrokerProcess start(
      int port, Map<String, String> env, List<String> jvmOptions, Path log) throws Exception {
    return start(buildJava(), port, env, jvmOptions, true, log);
  }

  /** The {@code java} of the JVM running this code, the one that made the class-data archive. */
  public static Path buildJava() {
    return Path.of(System.getProperty("java.home"), "bin", "java");
  }

  /**
   * @param java the {@code java} executable to run the broker with
   * @param classDataArchive whether the JVM maps {@link #CLASS_DATA_ARCHIVE} when the build made
   *     one (as the container image does), or loads every class from the jars (as the plain jar
   *     does); only {@link #buildJava()} can map it, another {@code java} runs without it
   */
  public static BrokerProcess start(
      Path java,
      int port,
      Map<String, String> env,
      List<String> jvmOptions,
      boolean classDataArchive,
      Path log)
      throws Exception {
    Path app = Path.of("target", "quarkus-app").toAbsolutePath();
    if (!Files.exists(app.resolve("quarkus-run.jar"))) {
      throw new IllegalStateException(
          "run 'mvn package -DskipTests' first: " + app.resolve("quarkus-run.jar") + " is missing");
    }
    // The jar under the bench's own name, next to quarkus-run.jar (it finds lib/ and quarkus/
    // relative to itself): a broad 'pkill -f quarkus-run.jar' elsewhere leaves it alone. A link,
    // not a copy, and started from its own directory, so that the class-data archive the build
    // wrote for quarkus-run.jar applies to it as it does in the container image.
    Path link = app.resolve("neo4j-access-bench.jar");
    Files.deleteIfExists(link);
    Files.createSymbolicLink(link, Path.of("quarkus-run.jar"));
    List<String> cmd = new ArrayList<>();
    cmd.add(java.toString());
    cmd.addAll(jvmOptions);
    if (classDataArchive && hasClassDataArchive() && java.equals(buildJava())) {
      cmd.add("-XX:SharedArchiveFile=" + CLASS_DATA_ARCHIVE);
    }
    cmd.add("-jar");
    cmd.add(link.getFileName().toString());
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(app.toFile());
    pb.environment().putAll(env);
    pb.environment().put("QUARKUS_HTTP_PORT", String.valueOf(port));
    pb.environment().put("QUARKUS_HTTP_HOST", "127.0.0.1");
    pb.redirectErrorStream(true).redirectOutput(log.toFile());
    String url = "http://127.0.0.1:" + port;
    long t0 = System.nanoTime();
    Process p = pb.start();
    HttpClient http = HttpClient.newHttpClient();
    long deadline = t0 + TimeUnit.SECONDS.toNanos(90);
    while (System.nanoTime() < deadline) {
      if (!p.isAlive()) {
        throw new IllegalStateException("the broker exited; see " + log);
      }
      try {
        var r =
            http.send(
                HttpRequest.newBuilder(URI.create(url + "/q/health/ready")).build(),
                HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() == 200) {
          return new BrokerProcess(p, url, log, (System.nanoTime() - t0) / 1_000_000);
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(10);
    }
    p.destroyForcibly();
    throw new IllegalStateException("the broker did not become ready within 90 s; see " + log);
  }

  /** Whether the build wrote a {@link #CLASS_DATA_ARCHIVE}. */
  public static boolean hasClassDataArchive() {
    return Files.exists(Path.of("target", "quarkus-app", CLASS_DATA_ARCHIVE));
  }

  /** Writes a secret for the broker to a file only its owner can read, as a mounted secret is. */
  public static Path secretFile(Path file, String secret) throws IOException {
    Files.writeString(file, secret);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    return file;
  }

  /** VmRSS and VmHWM of the broker's JVM, in MB, from /proc/<pid>/status. */
  public long[] rssMb() {
    try {
      long rss = 0;
      long hwm = 0;
      for (String line :
          Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
        if (line.startsWith("VmRSS:")) {
          rss = kb(line) / 1024;
        } else if (line.startsWith("VmHWM:")) {
          hwm = kb(line) / 1024;
        }
      }
      return new long[] {rss, hwm};
    } catch (IOException e) {
      return new long[] {-1, -1};
    }
  }

  private static long kb(String line) {
    return Long.parseLong(line.replaceAll("[^0-9]", ""));
  }

  /** Quarkus' own "started in" figure from the log, in seconds; -1 if absent. */
  public double quarkusStartedSeconds() {
    try {
      for (String line : Files.readAllLines(log)) {
        var m = java.util.regex.Pattern.compile("started in ([0-9.]+)s").matcher(line);
        if (m.find()) {
          return Double.parseDouble(m.group(1));
        }
      }
    } catch (IOException ignored) {
      // no log yet
    }
    return -1;
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }
}
