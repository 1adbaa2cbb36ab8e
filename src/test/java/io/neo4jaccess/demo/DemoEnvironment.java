package io.neo4jaccess.demo;

import io.neo4jaccess.testing.BrokerProcess;
import io.neo4jaccess.testing.GitLabStandIn;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.BoltConnectorInternalSettings;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.driver.AuthTokens;
import org.neo4j.driver.GraphDatabase;
import org.neo4j.driver.SessionConfig;
import org.neo4j.harness.Neo4j;
import org.neo4j.harness.Neo4jBuilders;

/**
 * The zero-setup default: an embedded Neo4j (state store and the {@code demo} target), the GitLab
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
    Path dir = Path.of("target", "demo").toAbsolutePath();
    Files.createDirectories(dir);

    String adminPassword = random();
    Neo4j neo4j =
        Neo4jBuilders.newInProcessBuilder(dir.resolve("neo4j"))
            .withDisabledServer()
            .withConfig(GraphDatabaseSettings.auth_enabled, true)
            .withConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", boltPort))
            .withConfig(BoltConnectorInternalSettings.thread_pool_shutdown_wait_time, Duration.ZERO)
            .build();
    try (var driver = GraphDatabase.driver(neo4j.boltURI(), AuthTokens.basic("neo4j", "neo4j"));
        var s = driver.session(SessionConfig.forDatabase("system"))) {
      s.run("ALTER CURRENT USER SET PASSWORD FROM 'neo4j' TO $p", Map.of("p", adminPassword))
          .consume();
    }
    Path passwordFile = dir.resolve("admin-password");
    Files.writeString(passwordFile, adminPassword);
    Files.setPosixFilePermissions(passwordFile, PosixFilePermissions.fromString("rw-------"));

    GitLabStandIn gitlab = GitLabStandIn.start(gitlabPort);
    String brokerUrl = "http://127.0.0.1:" + brokerPort;
    BrokerProcess broker =
        BrokerProcess.start(
            brokerPort,
            brokerEnvironment(
                brokerPort, neo4j.boltURI().toString(), gitlab.url(), passwordFile, adminPassword),
            List.of(),
            dir.resolve("broker.log"));
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  broker.process.destroy();
                  gitlab.close();
                  neo4j.close();
                }));
    Files.writeString(
        dir.resolve("env"),
        "BROKER_URL="
            + brokerUrl
            + "\nSTANDIN_URL="
            + gitlab.url()
            + "\nNEO4J_BOLT_URL="
            + neo4j.boltURI()
            + "\n");
    System.out.printf(
        "%nneo4j-access demo is ready.%n  broker:        %s%n  GitLab stand-in: %s%n"
            + "  embedded Neo4j: %s (admin password in %s)%n  broker log:    %s%n%n"
            + "Mint a job's ID token and exchange it:%n"
            + "  TOKEN=$(curl -s -X POST %s/-/standin/id_token -d '{\"aud\":\"neo4j-access\"}')%n"
            + "  curl -s -X POST %s/v1/exchange -H \"Authorization: Bearer $TOKEN\"%n%n"
            + "Ctrl-C stops everything.%n",
        brokerUrl,
        gitlab.url(),
        neo4j.boltURI(),
        passwordFile,
        dir.resolve("broker.log"),
        gitlab.url(),
        brokerUrl);
    broker.process.waitFor();
  }

  /** The broker's configuration for the demo, as environment variables (no secret in argv). */
  private static Map<String, String> brokerEnvironment(
      int port, String bolt, String gitlab, Path passwordFile, String adminPassword) {
    Map<String, String> env = new HashMap<>();
    env.put("QUARKUS_NEO4J_URI", bolt);
    env.put("QUARKUS_NEO4J_AUTHENTICATION_USERNAME", "neo4j");
    env.put("QUARKUS_NEO4J_AUTHENTICATION_PASSWORD", adminPassword);
    env.put("BROKER_NEO4J_TARGETS_DEMO_URI", bolt);
    env.put("BROKER_NEO4J_TARGETS_DEMO_ADMIN_PASSWORD_FILE", passwordFile.toString());
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
