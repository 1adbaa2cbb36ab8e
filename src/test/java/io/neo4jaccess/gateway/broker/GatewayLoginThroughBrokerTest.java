package io.neo4jaccess.gateway.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.neo4jaccess.gateway.GatewayLauncher;
import io.neo4jaccess.testing.BrokerTestResource;
import io.neo4jaccess.testing.GatewayJobs;
import io.neo4jaccess.testing.GatewayJobs.Project;
import io.neo4jaccess.testing.SharedNeo4j;
import io.neo4jaccess.testing.TestLeases;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.neo4j.driver.Driver;
import org.neo4j.driver.Session;
import org.neo4j.driver.exceptions.AuthenticationException;

/**
 * A gateway login needs the active, genuine, unexpired lease of that user on that target, and the
 * user's own password, which Neo4j checks.
 */
@QuarkusTest
@WithTestResource(BrokerTestResource.class)
class GatewayLoginThroughBrokerTest {

  @Inject GatewayLauncher gateways;

  @Test
  void a_lease_whose_grant_was_widened_in_the_state_store_logs_in_nowhere() {
    // given a read lease whose access someone with the state store changed to full
    GatewayJobs.Issued job = GatewayJobs.exchange(Project.READ);
    try (Session s = SharedNeo4j.stateAdmin().session()) {
      s.run("MATCH (l:Lease {id: $id}) SET l.access = 'full'", Map.of("id", job.leaseId()))
          .consume();
    }

    // then its seal no longer holds: the login is refused and the lease found forged
    assertRefused(job.username(), job.password());
    try (Session s = SharedNeo4j.stateAdmin().session()) {
      assertThat(
              s.run(
                      "MATCH (l:Lease {id: $id}) RETURN l.forgedAt IS NOT NULL AS forged",
                      Map.of("id", job.leaseId()))
                  .single()
                  .get("forged")
                  .asBoolean())
          .isTrue();
    }
  }

  @Test
  void an_unsealed_lease_opens_no_connection() {
    TestLeases.Made forged =
        TestLeases.create(
            TestLeases.lease().target("gated", BrokerTestResource.GATED_PREFIX).unsealed());

    assertRefused(forged.username(), TestLeases.PASSWORD);
  }

  @Test
  void an_active_lease_past_its_expiry_opens_no_connection() {
    TestLeases.Made expired =
        TestLeases.create(
            TestLeases.lease()
                .target("gated", BrokerTestResource.GATED_PREFIX)
                .issuedAt(Instant.now().minusSeconds(1200))
                .expiresAt(Instant.now().minusSeconds(600)));

    assertRefused(expired.username(), TestLeases.PASSWORD);
  }

  @Test
  void a_wrong_password_is_refused_and_opens_no_counted_connection() {
    // given a job's lease
    GatewayJobs.Issued job = GatewayJobs.exchange(Project.READ);

    // when a login with a wrong password is refused, and then the job's own succeeds
    assertRefused(job.username(), "not-the-password-of-the-job");
    try (Driver driver = GatewayJobs.driver(job);
        Session s = driver.session()) {
      s.run("RETURN 1").consume();
    }

    // then only the job's own connection counts
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> Audits.summary(job.leaseId()).getLong("gateway.connections") > 0);
    assertThat(Audits.summary(job.leaseId()).getLong("gateway.connections")).isEqualTo(1);
  }

  private void assertRefused(String user, String password) {
    try (Driver driver =
        GatewayJobs.driver(gateways.clientUri("gated").orElseThrow(), user, password)) {
      assertThatThrownBy(driver::verifyConnectivity).isInstanceOf(AuthenticationException.class);
    }
  }
}
