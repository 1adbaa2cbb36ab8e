package io.neo4jaccess.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Wires a broker under test to the shared Neo4j (as both state store and the {@code demo} target)
 * and to two GitLab stand-ins ({@code main} and {@code other}), with the policy in {@code
 * src/test/resources/policy/test-policy.yml}.
 */
public class BrokerTestResource implements QuarkusTestResourceLifecycleManager {

  public static final String AUDIENCE = "neo4j-access";
  public static final String OTHER_AUDIENCE = "neo4j-access-other";
  private static GitLabStandIn main;
  private static GitLabStandIn other;

  public static synchronized GitLabStandIn gitlab() {
    if (main == null) {
      main = GitLabStandIn.start();
      other = GitLabStandIn.start();
    }
    return main;
  }

  public static GitLabStandIn otherGitlab() {
    gitlab();
    return other;
  }

  @Override
  public Map<String, String> start() {
    String bolt = SharedNeo4j.boltUri();
    Map<String, String> c = new HashMap<>();
    c.put("quarkus.neo4j.uri", bolt);
    c.put("quarkus.neo4j.authentication.username", "neo4j");
    c.put("quarkus.neo4j.authentication.password", SharedNeo4j.ADMIN_PASSWORD);
    c.put("broker.neo4j.targets.demo.uri", bolt);
    c.put("broker.neo4j.targets.demo.admin-password", SharedNeo4j.ADMIN_PASSWORD);
    c.put("broker.neo4j.targets.demo.max-ttl", "1h");
    c.put("broker.gitlab.instances.main.url", gitlab().url());
    c.put("broker.gitlab.instances.main.audience", AUDIENCE);
    c.put("broker.gitlab.instances.main.api-token", "glpat-test-read-api");
    c.put("broker.gitlab.instances.other.url", otherGitlab().url());
    c.put("broker.gitlab.instances.other.audience", OTHER_AUDIENCE);
    c.put("broker.gitlab.instances.other.api-token", "glpat-test-other");
    c.put("broker.policy.file", copyPolicy("/policy/test-policy.yml"));
    c.put("broker.api.public-url", "https://neo4j-access.example.com");
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
