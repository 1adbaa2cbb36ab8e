package io.neo4jaccess.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Wires a broker under test to the shared Neo4j servers (the state store on one, the {@code demo},
 * {@code fragile} and {@code gated} targets on the other; {@code gated} is reached through the
 * broker's Bolt gateway) and to two GitLab stand-ins ({@code main} and {@code other}), with the
 * policy in {@code src/test/resources/policy/test-policy.yml}.
 */
public class BrokerTestResource implements QuarkusTestResourceLifecycleManager {

  public static final String AUDIENCE = "neo4j-access";
  public static final String OTHER_AUDIENCE = "neo4j-access-other";
  public static final String WEBHOOK_SECRET = "main-webhook-secret-for-tests";
  public static final String OTHER_WEBHOOK_SECRET = "other-webhook-secret-for-tests";

  /** The key that seals leases; {@link TestLeases} seals with it too. */
  public static final String LEASE_KEY = "lease-key-for-tests-only-32-chars-or-more";

  /** Standard-Webhooks signing secret of {@code main}: whsec_ + base64 of 32 bytes. */
  public static final String SIGNING_SECRET =
      "whsec_"
          + java.util.Base64.getEncoder()
              .encodeToString("test-signing-key-32-bytes-long!!".getBytes());

  /** Signing secret of {@code other}, which accepts signed webhooks only. */
  public static final String OTHER_SIGNING_SECRET =
      "whsec_"
          + java.util.Base64.getEncoder()
              .encodeToString("other-signing-key-32-bytes-long!".getBytes());

  /** Secret of {@code main}'s hook {@code app}, which may speak for the project demo/app only. */
  public static final String APP_HOOK_SECRET = "app-hook-secret-for-tests";

  /** User prefix of target {@code gated}. */
  public static final String GATED_PREFIX = "gt_";

  private static FlakyTcpProxy fragile;
  private static GitLabStandIn main;
  private static GitLabStandIn other;

  public static synchronized GitLabStandIn gitlab() {
    if (main == null) {
      main = GitLabStandIn.start();
      other = GitLabStandIn.start();
    }
    return main;
  }

  /** The proxy in front of target {@code fragile}: take it down to make revocations fail. */
  public static synchronized FlakyTcpProxy fragile() {
    if (fragile == null) {
      fragile = FlakyTcpProxy.start("127.0.0.1", SharedNeo4j.server().boltURI().getPort());
    }
    return fragile;
  }

  public static GitLabStandIn otherGitlab() {
    gitlab();
    return other;
  }

  @Override
  public Map<String, String> start() {
    // The log is searched for every secret seen: webhook secrets must never reach it either.
    for (String secret :
        new String[] {
          WEBHOOK_SECRET,
          OTHER_WEBHOOK_SECRET,
          APP_HOOK_SECRET,
          SIGNING_SECRET,
          OTHER_SIGNING_SECRET
        }) {
      SecretsSeen.record(secret);
    }
    String bolt = SharedNeo4j.boltUri();
    Map<String, String> c = new HashMap<>();
    c.put("quarkus.neo4j.uri", SharedNeo4j.stateBoltUri());
    c.put("quarkus.neo4j.authentication.username", "neo4j");
    c.put("quarkus.neo4j.authentication.password", SharedNeo4j.STATE_PASSWORD);
    c.put("broker.lease.mac-keys", LEASE_KEY);
    c.put("broker.neo4j.targets.demo.uri", bolt);
    c.put("broker.neo4j.targets.demo.admin-password", SharedNeo4j.ADMIN_PASSWORD);
    c.put("broker.neo4j.targets.demo.max-ttl", "1h");
    c.put("broker.gitlab.instances.main.url", gitlab().url());
    c.put("broker.gitlab.instances.main.audience", AUDIENCE);
    c.put("broker.gitlab.instances.main.api-token", "glpat-test-read-api");
    c.put("broker.gitlab.instances.other.url", otherGitlab().url());
    c.put("broker.gitlab.instances.other.audience", OTHER_AUDIENCE);
    c.put("broker.gitlab.instances.other.api-token", "glpat-test-other");
    c.put("broker.gitlab.instances.main.webhook-secret", WEBHOOK_SECRET);
    c.put("broker.gitlab.instances.main.signing-secret", SIGNING_SECRET);
    c.put("broker.gitlab.instances.other.webhook-secret", OTHER_WEBHOOK_SECRET);
    c.put("broker.gitlab.instances.other.signing-secret", OTHER_SIGNING_SECRET);
    c.put("broker.gitlab.instances.other.require-signed-webhooks", "true");
    c.put("broker.gitlab.instances.main.hooks.app.secret", APP_HOOK_SECRET);
    c.put("broker.gitlab.instances.main.hooks.app.projects", "demo/app");
    // A second target on the same server (its own prefix), reached through a proxy a test can take
    // down.
    c.put("broker.neo4j.targets.fragile.uri", "bolt://127.0.0.1:" + fragile().port());
    c.put("broker.neo4j.targets.fragile.admin-password", SharedNeo4j.ADMIN_PASSWORD);
    c.put("broker.neo4j.targets.fragile.user-prefix", "fr_");
    // A third target on the same server, which jobs reach only through the broker's gateway.
    c.put("broker.neo4j.targets.gated.uri", bolt);
    c.put("broker.neo4j.targets.gated.admin-password", SharedNeo4j.ADMIN_PASSWORD);
    c.put("broker.neo4j.targets.gated.user-prefix", GATED_PREFIX);
    c.put("broker.neo4j.targets.gated.gateway.enabled", "true");
    c.put("broker.neo4j.targets.gated.gateway.host", "127.0.0.1");
    c.put("broker.neo4j.targets.gated.gateway.port", "0");
    c.put("broker.gateway.audit-flush-interval", "500ms");
    // Tests drive the sweeper with Sweeper.sweepOnce(); the schedule must not fire meanwhile.
    c.put("broker.lease.sweep-interval", "1h");
    c.put("broker.lease.first-sweep-delay", "1h");
    c.put("broker.lease.retry-backoff", "2s");
    c.put("broker.lease.retry-backoff-max", "1m");
    c.put("broker.policy.file", copyPolicy("/policy/test-policy.yml"));
    c.put("broker.api.public-url", "https://neo4j-access.example.com");
    // Every test class in the JVM shares these limits and project 22: high enough that none is hit
    // (PublicInstanceTestResource tests the limits themselves).
    c.put("broker.api.rate-limit.project-per-minute", "1000000");
    c.put("broker.api.rate-limit.address-per-minute", "1000000");
    return c;
  }

  /** Copies a policy from test resources to a file, as the broker reads policies from files. */
  static String copyPolicy(String resource) {
    try (var in = BrokerTestResource.class.getResourceAsStream(resource)) {
      Path file = Files.createTempFile("policy", ".yml");
      Files.write(file, in.readAllBytes());
      file.toFile().deleteOnExit();
      return file.toString();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void stop() {
    // The stand-ins and Neo4j are shared by every test class in the JVM; they end with it.
  }
}
