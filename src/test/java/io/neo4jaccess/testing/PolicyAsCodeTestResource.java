package io.neo4jaccess.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A broker whose policy file a test edits, laid out as Kubernetes mounts a ConfigMap: {@code
 * policy.yml} is a symlink to {@code ..data/policy.yml}, {@code ..data} a symlink to a timestamped
 * directory, and an update writes a new directory and swaps {@code ..data} in one rename. The
 * broker reads it every 300 ms, and names {@code main:platform/access-policy} its policy
 * repository.
 */
public class PolicyAsCodeTestResource implements QuarkusTestResourceLifecycleManager {

  public static final String POLICY_REPOSITORY = "platform/access-policy";
  private static final Path MOUNT = mount();
  private static final AtomicInteger VERSIONS = new AtomicInteger();

  /** The policy the broker starts with ({@code src/test/resources/policy/policy-as-code.yml}). */
  public static final String INITIAL = resource("/policy/policy-as-code.yml");

  @Override
  public Map<String, String> start() {
    write(INITIAL);
    Map<String, String> c = new HashMap<>(new BrokerTestResource().start());
    c.put("broker.policy.file", file().toString());
    c.put("broker.policy.reload-interval", "300ms");
    c.put("broker.policy.repositories", "main:" + POLICY_REPOSITORY);
    // A test holds GitLab's answers back for seconds; the broker must wait for them.
    c.put("broker.gitlab.api-timeout", "15s");
    return c;
  }

  /** The policy file as the broker is configured to read it. */
  public static Path file() {
    return MOUNT.resolve("policy.yml");
  }

  /** Replaces the mounted policy the way the kubelet updates a ConfigMap volume. */
  public static synchronized void write(String yaml) {
    try {
      Path version = MOUNT.resolve("..v" + VERSIONS.incrementAndGet());
      Files.createDirectories(version);
      Files.writeString(version.resolve("policy.yml"), yaml, StandardCharsets.UTF_8);
      Path next = MOUNT.resolve("..data_tmp");
      Files.deleteIfExists(next);
      Files.createSymbolicLink(next, version.getFileName());
      Files.move(next, MOUNT.resolve("..data"), StandardCopyOption.ATOMIC_MOVE);
      Path link = MOUNT.resolve("policy.yml");
      if (!Files.isSymbolicLink(link)) {
        Files.createSymbolicLink(link, Path.of("..data", "policy.yml"));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static String resource(String name) {
    try (InputStream in = PolicyAsCodeTestResource.class.getResourceAsStream(name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path mount() {
    try {
      Path dir = Files.createTempDirectory("policy-configmap");
      dir.toFile().deleteOnExit();
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void stop() {
    // The stand-ins and Neo4j are shared by every test class in the JVM; they end with it.
  }
}
