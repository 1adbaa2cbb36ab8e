package io.neo4jaccess.gateway.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.neo4jaccess.testing.BrokerProcess;
import io.neo4jaccess.testing.BrokerTestResource;
import io.neo4jaccess.testing.GatewayJobs;
import io.neo4jaccess.testing.GatewayJobs.Project;
import io.neo4jaccess.testing.StateProbe;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.neo4j.driver.Driver;
import org.neo4j.driver.exceptions.AuthenticationException;

/**
 * Two broker replicas on one state store: this test's broker, and the packaged broker ({@code
 * target/quarkus-app}) as a second process with its own gateway. A job's connection through the
 * second replica's gateway is cut within a second of the Job Hook reaching the first: the first
 * drops the job's user and kills its connections on Neo4j, which ends the second gateway's
 * upstream, and the second gateway then closes the job's side. Runs after packaging ({@code mvn
 * verify}).
 */
@QuarkusTest
@WithTestResource(BrokerTestResource.class)
class TwoReplicaRevocationIT {

  private static BrokerProcess replica;
  private static int replicaGateway;

  @BeforeEach
  void second_replica() throws Exception {
    if (replica != null) {
      return;
    }
    replicaGateway = freePort();
    Path dir = Files.createDirectories(Path.of("target", getClass().getSimpleName()));
    Path config =
        BrokerProcess.secretFile(
            dir.resolve("replica.properties"), properties(replicaGateway, replicaOverrides()));
    replica =
        BrokerProcess.start(
            freePort(),
            Map.of("QUARKUS_CONFIG_LOCATIONS", config.toAbsolutePath().toString()),
            List.of("-Xmx256m"),
            dir.resolve("replica.log"));
  }

  /** What the second replica's configuration sets on top of this broker's. */
  Map<String, String> replicaOverrides() {
    return Map.of();
  }

  @AfterAll
  static void stop() throws InterruptedException {
    if (replica != null) {
      replica.close();
      replica = null;
    }
  }

  @Test
  void the_other_replica_cuts_its_gateway_connection_within_a_second_of_the_job_hook()
      throws Exception {
    // given a job whose long query runs through the second replica's gateway
    GatewayJobs.Issued job = GatewayJobs.exchange(Project.WRITE);
    String elsewhere = "bolt://127.0.0.1:" + replicaGateway;
    try (Driver driver = GatewayJobs.driver(elsewhere, job.username(), job.password())) {
      // when the Job Hook reaches this replica, then the other's connection ended within the second
      // of this replica recording it
      assertThat(GatewayRevocationThroughBrokerTest.cutByJobHook(job, driver))
          .isLessThan(Duration.ofSeconds(1));
    }
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> "revoked".equals(StateProbe.leaseState(job.leaseId())));
    try (Driver again = GatewayJobs.driver(elsewhere, job.username(), job.password())) {
      assertThatThrownBy(again::verifyConnectivity).isInstanceOf(AuthenticationException.class);
    }
  }

  /**
   * The second replica's configuration: this broker's, with a gateway of its own on {@code port},
   * as the packaged broker needs it on loopback (plain HTTP and Bolt allowed, and the shared
   * server's file CSV setting accepted).
   */
  private static String properties(int port, Map<String, String> overrides) {
    Map<String, String> c = new TreeMap<>(new BrokerTestResource().start());
    c.putAll(overrides);
    c.keySet().removeIf(k -> k.startsWith("broker.neo4j.targets.fragile."));
    c.put("broker.neo4j.targets.gated.gateway.port", String.valueOf(port));
    c.put("broker.neo4j.targets.gated.gateway.accepted-risks", "file-csv-import");
    c.put("broker.gateway.allow-plain", "true");
    c.put("broker.gitlab.allow-plain-http", "true");
    StringBuilder out = new StringBuilder();
    c.forEach((k, v) -> out.append(k).append('=').append(v.replace("\\", "\\\\")).append('\n'));
    return out.toString();
  }

  private static int freePort() throws IOException {
    try (ServerSocket free = new ServerSocket(0)) {
      return free.getLocalPort();
    }
  }
}
