package io.neo4jaccess.demo;

import io.neo4jaccess.testing.BrokerProcess;
import io.neo4jaccess.testing.EmbeddedNeo4j;
import io.neo4jaccess.testing.GitLabStandIn;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.neo4j.harness.Neo4j;

/**
 * The zero-setup default: two embedded Neo4j servers, laid out as in production (the {@code demo}
 * target that jobs get users on, and the broker's state store, which no job reaches), the GitLab
 * stand-in, and the packaged broker started against them as a separate process — the same jar that
 * runs in production. Lives in test sources so none of it reaches the production artifact.
 *
 * <p>Writes {@code target/demo/env} (URLs for scripts) and serves until interrupted.
 */
public final class DemoEnvironment {

  public static void main(String[] args) throws Exception {
    int brokerPort = Integer.parseInt(System.getProperty("demo.broker.port", "8080"));
    int gitlabPort = Integer.parseInt(System.getProperty("demo.gitlab.port", "8180"));
    int boltPort = Integer.parseInt(System.getProperty("demo.bolt.port", "7687"));
    int gatewayPort = Integer.parseInt(System.getProperty("demo.gateway.port", "7688"));
    Path dir = Path.of("target", "demo").toAbsolutePath();
    Files.createDirectories(dir);

    String adminPassword = random();
    Neo4j neo4j = EmbeddedNeo4j.start(dir.resolve("neo4j"), boltPort, adminPassword);
    String statePassword = random();
    Neo4j state = EmbeddedNeo4j.start(dir.resolve("state"), 0, statePassword);
    Path passwordFile = BrokerProcess.secretFile(dir.resolve("admin-password"), adminPassword);
    Path leaseKeysFile = BrokerProcess.secretFile(dir.resolve("lease-keys"), random());

    GitLabStandIn gitlab = GitLabStandIn.start(gitlabPort);
    String brokerUrl = "http://127.0.0.1:" + brokerPort;
    BrokerProcess broker =
        BrokerProcess.start(
            brokerPort,
            brokerEnvironment(
                brokerPort,
                neo4j.boltURI().toString(),
                gitlab.url(),
                passwordFile,
                state.boltURI().toString(),
                statePassword,
                leaseKeysFile,
                gatewayPort),
            List.of(),
            dir.resolve("broker.log"));
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  broker.process.destroy();
                  gitlab.close();
                  neo4j.close();
                  state.close();
                }));
    Files.writeString(
        dir.resolve("env"),
        "BROKER_URL="
            + brokerUrl
            + "\nSTANDIN_URL="
            + gitlab.url()
            + "\nNEO4J_BOLT_URL="
            + neo4j.boltURI()
            + "\nNEO4J_GATEWAY_URL=bolt://127.0.0.1:"
            + gatewayPort
            + "\n");
    System.out.printf(
        "%nneo4j-access demo is ready.%n  broker:        %s%n  GitLab stand-in: %s%n"
            + "  embedded Neo4j: %s (admin password in %s)%n"
            + "  Bolt gateway:  bolt://127.0.0.1:%d (target gated: the same Neo4j, grants"
            + " enforced)%n  state store:   %s (its own"
            + " server: no job user exists there)%n  broker log:    %s%n%n"
            + "Mint a job's ID token and exchange it:%n"
            + "  TOKEN=$(curl -s -X POST %s/-/standin/id_token -d '{\"aud\":\"neo4j-access\"}')%n"
            + "  curl -s -X POST %s/v1/exchange -H \"Authorization: Bearer $TOKEN\"%n%n"
            + "Ctrl-C stops everything.%n",
        brokerUrl,
        gitlab.url(),
        neo4j.boltURI(),
        passwordFile,
        gatewayPort,
        state.boltURI(),
        dir.resolve("broker.log"),
        gitlab.url(),
        brokerUrl);
    broker.process.waitFor();
  }

  /** The broker's configuration for the demo, as environment variables (no secret in argv). */
  private static Map<String, String> brokerEnvironment(
      int port,
      String bolt,
      String gitlab,
      Path passwordFile,
      String stateBolt,
      String statePassword,
      Path leaseKeysFile,
      int gatewayPort) {
    Map<String, String> env = new HashMap<>();
    env.put("QUARKUS_NEO4J_URI", stateBolt);
    env.put("QUARKUS_NEO4J_AUTHENTICATION_USERNAME", "neo4j");
    env.put("QUARKUS_NEO4J_AUTHENTICATION_PASSWORD", statePassword);
    env.put("BROKER_LEASE_MAC_KEYS_FILE", leaseKeysFile.toString());
    env.put("BROKER_NEO4J_TARGETS_DEMO_URI", bolt);
    env.put("BROKER_NEO4J_TARGETS_DEMO_ADMIN_PASSWORD_FILE", passwordFile.toString());
    // Target gated: the same server, reached only through the broker's Bolt gateway, which enforces
    // read and write grants. Plain Bolt on loopback; a real deployment sets a TLS certificate.
    env.put("BROKER_NEO4J_TARGETS_GATED_URI", bolt);
    env.put("BROKER_NEO4J_TARGETS_GATED_ADMIN_PASSWORD_FILE", passwordFile.toString());
    env.put("BROKER_NEO4J_TARGETS_GATED_USER_PREFIX", "gt_");
    env.put("BROKER_NEO4J_TARGETS_GATED_GATEWAY_ENABLED", "true");
    env.put("BROKER_NEO4J_TARGETS_GATED_GATEWAY_HOST", "127.0.0.1");
    env.put("BROKER_NEO4J_TARGETS_GATED_GATEWAY_PORT", String.valueOf(gatewayPort));
    env.put("BROKER_GATEWAY_ALLOW_PLAIN", "true");
    env.put("BROKER_GITLAB_INSTANCES_DEMO_URL", gitlab);
    // The stand-in serves plain HTTP on loopback; a real deployment must not set this.
    env.put("BROKER_GITLAB_ALLOW_PLAIN_HTTP", "true");
    env.put("BROKER_GITLAB_INSTANCES_DEMO_AUDIENCE", "neo4j-access");
    env.put("BROKER_GITLAB_INSTANCES_DEMO_API_TOKEN", "demo-read-api-token");
    env.put("BROKER_POLICY_FILE", Path.of("demo", "policy.yml").toAbsolutePath().toString());
    env.put("BROKER_POLICY_REPOSITORIES", "demo:demo/access-policy");
    env.put("BROKER_API_PUBLIC_URL", "http://127.0.0.1:" + port);
    return env;
  }

  private static String random() {
    byte[] b = new byte[24];
    new SecureRandom().nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }
}
