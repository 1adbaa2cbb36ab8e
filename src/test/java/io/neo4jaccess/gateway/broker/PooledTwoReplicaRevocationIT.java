package io.neo4jaccess.gateway.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.neo4jaccess.gateway.pooled.PooledTarget;
import io.neo4jaccess.testing.BrokerProcess;
import io.neo4jaccess.testing.BrokerTestResource;
import io.neo4jaccess.testing.GatewayJobs;
import io.neo4jaccess.testing.GatewayJobs.Project;
import io.neo4jaccess.testing.StateProbe;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.neo4j.driver.Driver;
import org.neo4j.driver.exceptions.AuthenticationException;

/**
 * {@link TwoReplicaRevocationIT} with target {@code gated} pooled on both replicas: no user is
 * dropped, so nothing on the server cuts the second replica's connection; it closes it itself once
 * it sees in the state store that the lease is no longer active ({@code lease-check-interval}).
 */
@QuarkusTest
@WithTestResource(BrokerTestResource.class)
@TestProfile(PooledTarget.class)
class PooledTwoReplicaRevocationIT {

  private static BrokerProcess replica;
  private static int replicaGateway;

  @BeforeEach
  void second_replica() throws Exception {
    if (replica != null) {
      return;
    }
    replicaGateway = TwoReplicaRevocationIT.freePort();
    replica =
        TwoReplicaRevocationIT.startReplica(
            "pooled-replicas", replicaGateway, new PooledTarget().getConfigOverrides());
  }

  @AfterAll
  static void stop() throws InterruptedException {
    if (replica != null) {
      replica.close();
    }
  }

  @Test
  void the_other_replica_cuts_its_pooled_connection_within_a_second_of_the_job_hook()
      throws Exception {
    // given a pooled job whose long query runs through the second replica's gateway
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
}
