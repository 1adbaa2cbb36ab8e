package io.neo4jaccess.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.neo4jaccess.gateway.bolt.BoltVersion;
import io.neo4jaccess.testing.SharedNeo4j;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.neo4j.driver.Driver;
import org.neo4j.driver.Session;
import org.neo4j.driver.exceptions.AuthenticationException;

/** A lease's end cuts its connections through the gateway at once, and no new one opens. */
class RevocationTest {

  private static final String ENDLESS =
      "UNWIND range(1, 4000000000) AS i WITH i WHERE i < 0 RETURN count(i)";

  @RegisterExtension static final GatewayFixture gateway = GatewayFixture.start();

  @Test
  void closing_a_lease_cuts_its_long_running_query_within_one_second() throws Exception {
    // given a query that runs for minutes
    GatewayFixture.Lease lease = gateway.lease(Access.WRITE);
    Driver driver = gateway.driver(lease);
    CompletableFuture<Long> cut =
        CompletableFuture.supplyAsync(
            () -> {
              try (Session s = driver.session()) {
                s.run(ENDLESS).consume();
              } catch (RuntimeException expected) {
                return System.nanoTime();
              }
              return -1L;
            });
    Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> GatewayDriverTest.runningTransactions(lease.user()) > 0);

    // when
    long closedAt = System.nanoTime();
    int closed = gateway.connections.closeLease(lease.id());

    // then
    long failedAt = cut.get(10, TimeUnit.SECONDS);
    assertThat(closed).isEqualTo(1);
    assertThat(failedAt).isPositive();
    assertThat(Duration.ofNanos(failedAt - closedAt)).isLessThan(Duration.ofSeconds(1));
    assertThat(gateway.connections.count(lease.id())).isZero();
    // and Neo4j ends the query once its upstream connection is gone
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> GatewayDriverTest.runningTransactions(lease.user()) == 0);
  }

  @Test
  void a_login_after_the_lease_was_withdrawn_is_refused() {
    // given
    GatewayFixture.Lease lease = gateway.lease(Access.READ);
    try (Session s = gateway.driver(lease).session()) {
      s.run("RETURN 1").consume();
    }

    // when
    gateway.leases.withdraw(lease.id());
    gateway.connections.closeLease(lease.id());

    // then
    Driver again = gateway.driver(lease);
    assertThatThrownBy(() -> again.session().run("RETURN 1").consume())
        .isInstanceOf(AuthenticationException.class)
        .hasMessageContaining("unauthorized");
  }

  @Test
  void a_closed_lease_cannot_log_in_even_while_its_check_still_passes() {
    // given a revocation that closed the lease's connections before the lease store says so
    GatewayFixture.Lease lease = gateway.lease(Access.READ);
    gateway.connections.closeLease(lease.id());

    // when / then
    Driver driver = gateway.driver(lease);
    assertThatThrownBy(() -> driver.session().run("RETURN 1").consume())
        .isInstanceOf(AuthenticationException.class);
  }

  @Test
  void when_neo4j_drops_the_upstream_connection_the_client_is_closed_too() {
    // given a logged-in client
    GatewayFixture.Lease lease = gateway.lease(Access.WRITE);
    try (RawBolt client =
        RawBolt.loggedIn(gateway.port(), BoltVersion.V5_8, lease.user(), lease.password())) {
      // when Neo4j kills the job user's connection (as another replica's revocation would)
      try (Session s = SharedNeo4j.admin().session()) {
        s.run(
                "CALL dbms.listConnections() YIELD connectionId, username WHERE username = $u"
                    + " CALL dbms.killConnection(connectionId) YIELD message RETURN message",
                Map.of("u", lease.user()))
            .consume();
      }

      // then
      assertThat(client.closedWithin(Duration.ofSeconds(1))).isTrue();
    }
    Awaitility.await()
        .atMost(Duration.ofSeconds(2))
        .until(() -> gateway.connections.count(lease.id()) == 0);
  }

  @Test
  void closing_a_lease_leaves_other_leases_connected() {
    GatewayFixture.Lease revoked = gateway.lease(Access.READ);
    GatewayFixture.Lease kept = gateway.lease(Access.READ);
    try (Session s = gateway.driver(kept).session();
        Session t = gateway.driver(revoked).session()) {
      s.run("RETURN 1").consume();
      t.run("RETURN 1").consume();

      gateway.connections.closeLease(revoked.id());

      assertThat(s.run("RETURN 2 AS x").single().get("x").asInt()).isEqualTo(2);
      assertThat(gateway.connections.count(kept.id())).isEqualTo(1);
    }
  }
}
