package io.neo4jaccess.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.neo4jaccess.testing.BrokerProcess;
import io.neo4jaccess.testing.BrokerTestResource;
import io.neo4jaccess.testing.GitLabStandIn;
import io.neo4jaccess.testing.PolicyAsCodeTestResource;
import io.neo4jaccess.testing.PolicyInForce;
import io.neo4jaccess.testing.SharedNeo4j;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two packaged brokers on one state store, reading one policy file: one polls it, the other only
 * reloads on {@code SIGHUP}. After an edit both converge on the same version, and both record it on
 * their decisions.
 */
class PolicyConvergenceIT {

  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient HTTP = HttpClient.newHttpClient();
  static GitLabStandIn gitlab;
  static BrokerProcess polling;
  static BrokerProcess onSignal;

  @BeforeAll
  static void start_two_brokers() throws Exception {
    PolicyAsCodeTestResource.write(PolicyAsCodeTestResource.INITIAL);
    gitlab = GitLabStandIn.start();
    polling = broker("polling", "500ms");
    onSignal = broker("on-signal", "0s");
  }

  @AfterAll
  static void stop() throws Exception {
    for (AutoCloseable c : new AutoCloseable[] {polling, onSignal, gitlab}) {
      if (c != null) {
        c.close();
      }
    }
  }

  static BrokerProcess broker(String name, String reloadInterval) throws Exception {
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    String bolt = SharedNeo4j.boltUri();
    Map<String, String> env = new HashMap<>();
    // The state store on a server of its own, as the broker requires.
    env.put("QUARKUS_NEO4J_URI", SharedNeo4j.stateBoltUri());
    env.put("QUARKUS_NEO4J_AUTHENTICATION_USERNAME", "neo4j");
    env.put("QUARKUS_NEO4J_AUTHENTICATION_PASSWORD", SharedNeo4j.STATE_PASSWORD);
    env.put("BROKER_LEASE_MAC_KEYS", BrokerTestResource.LEASE_KEY);
    env.put("BROKER_NEO4J_TARGETS_DEMO_URI", bolt);
    env.put("BROKER_NEO4J_TARGETS_DEMO_ADMIN_PASSWORD", SharedNeo4j.ADMIN_PASSWORD);
    env.put("BROKER_GITLAB_INSTANCES_MAIN_URL", gitlab.url());
    env.put("BROKER_GITLAB_INSTANCES_MAIN_AUDIENCE", "neo4j-access");
    env.put("BROKER_GITLAB_INSTANCES_MAIN_API_TOKEN", "glpat-test-read-api");
    env.put("BROKER_GITLAB_ALLOW_PLAIN_HTTP", "true");
    env.put("BROKER_API_PUBLIC_URL", "http://127.0.0.1:" + port);
    env.put("BROKER_POLICY_FILE", PolicyAsCodeTestResource.file().toString());
    env.put("BROKER_POLICY_RELOAD_INTERVAL", reloadInterval);
    return BrokerProcess.start(
        port, env, List.of("-Xmx256m"), Path.of("target", "policy-convergence-" + name + ".log"));
  }

  static String sha256InForce(BrokerProcess broker) throws IOException, InterruptedException {
    JsonNode health =
        JSON.readTree(
            HTTP.send(
                    HttpRequest.newBuilder(URI.create(broker.url + "/q/health/ready")).build(),
                    HttpResponse.BodyHandlers.ofString())
                .body());
    for (JsonNode check : health.path("checks")) {
      if (check.path("name").asText().equals("policy")) {
        return check.path("data").path("sha256").asText();
      }
    }
    throw new AssertionError("no policy check in /q/health/ready: " + health);
  }

  /** The policy version recorded on the decision of one exchange at {@code broker}. */
  static String recordedVersion(BrokerProcess broker) throws Exception {
    String job = String.valueOf(8_100_000 + System.nanoTime() % 100_000);
    String token = gitlab.mint("neo4j-access", Map.of("job_id", job));
    HttpResponse<String> answer =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(broker.url + "/v1/exchange"))
                .header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    try (var s = SharedNeo4j.stateAdmin().session()) {
      return s.run(
              "MATCH (d:Decision)-[:ABOUT]->(:Job {key: $k}) RETURN d.policySha256 AS sha",
              Map.of("k", "main/" + job))
          .single()
          .get("sha")
          .asString();
    }
  }

  @Test
  void two_brokers_on_one_state_store_converge_on_the_same_version() throws Exception {
    // given both brokers decide with the initial policy
    String initial = PolicyInForce.sha256(PolicyAsCodeTestResource.INITIAL);
    assertThat(sha256InForce(polling)).isEqualTo(initial);
    assertThat(sha256InForce(onSignal)).isEqualTo(initial);

    // when the policy file changes
    String edited = PolicyAsCodeTestResource.INITIAL.replace("ttl: 10m", "ttl: 8m");
    PolicyAsCodeTestResource.write(edited);
    String next = PolicyInForce.sha256(edited);

    // then the polling broker takes it by itself, the other on SIGHUP, and both record it
    await().atMost(Duration.ofSeconds(10)).until(() -> sha256InForce(polling).equals(next));
    assertThat(sha256InForce(onSignal)).as("no polling, no reload yet").isEqualTo(initial);
    Process hup = new ProcessBuilder("kill", "-HUP", Long.toString(onSignal.process.pid())).start();
    assertThat(hup.waitFor()).isZero();
    await().atMost(Duration.ofSeconds(10)).until(() -> sha256InForce(onSignal).equals(next));
    assertThat(onSignal.process.isAlive()).as("SIGHUP reloads, it does not stop").isTrue();
    assertThat(recordedVersion(polling)).isEqualTo(next);
    assertThat(recordedVersion(onSignal)).isEqualTo(next);
  }
}
