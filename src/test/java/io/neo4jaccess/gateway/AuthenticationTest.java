package io.neo4jaccess.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.neo4jaccess.gateway.bolt.BoltVersion;
import io.neo4jaccess.gateway.bolt.MessageType;
import java.time.Duration;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.neo4j.driver.Driver;
import org.neo4j.driver.Session;
import org.neo4j.driver.exceptions.AuthenticationException;
import org.neo4j.driver.exceptions.Neo4jException;

/** Only an active lease on this target logs in, and a login is checked every time. */
class AuthenticationTest {

  @RegisterExtension static final GatewayFixture gateway = GatewayFixture.start();

  @Test
  void an_active_lease_logs_in_and_is_audited() {
    GatewayFixture.Lease lease = gateway.lease(Access.READ);

    try (Session s = gateway.driver(lease).session()) {
      s.run("RETURN 1").consume();
    }

    assertThat(gateway.audit.count("opened", lease.id())).isEqualTo(1);
  }

  @Test
  void a_closed_connection_is_audited() {
    GatewayFixture.Lease lease = gateway.lease(Access.READ);
    Driver driver = gateway.driver(lease);
    try (Session s = driver.session()) {
      s.run("RETURN 1").consume();
    }

    driver.close();

    Awaitility.await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> gateway.audit.count("closed", lease.id()) == 1);
  }

  @Test
  void a_user_without_a_lease_is_unauthorized() {
    Driver driver = gateway.driver(java.net.URI.create(gateway.uri("bolt")), "neo4j", "anything");

    assertThatThrownBy(() -> driver.session().run("RETURN 1").consume())
        .isInstanceOf(AuthenticationException.class)
        .extracting(e -> ((Neo4jException) e).code())
        .isEqualTo("Neo.ClientError.Security.Unauthorized");
  }

  @Test
  void a_wrong_password_is_unauthorized() {
    GatewayFixture.Lease lease = gateway.lease(Access.READ);
    Driver driver =
        gateway.driver(java.net.URI.create(gateway.uri("bolt")), lease.user(), "wrong-password");

    assertThatThrownBy(() -> driver.session().run("RETURN 1").consume())
        .isInstanceOf(AuthenticationException.class);
  }

  @Test
  void a_lease_on_another_target_is_unauthorized() {
    GatewayFixture.Lease lease = gateway.lease(Access.READ);
    GatewayGrant elsewhere =
        new GatewayGrant(
            lease.id(),
            "another-target",
            "neo4j",
            Access.READ,
            false,
            false,
            lease.grant().upstream(),
            "group/project",
            1,
            2);
    gateway.leases.add(elsewhere);

    assertThatThrownBy(() -> gateway.driver(lease).session().run("RETURN 1").consume())
        .isInstanceOf(AuthenticationException.class);
  }

  @Test
  void an_unreachable_lease_store_is_a_transient_error() {
    GatewayFixture.Lease lease = gateway.lease(Access.READ);
    gateway.leases.down(true);
    try {
      assertThatThrownBy(() -> gateway.driver(lease).session().run("RETURN 1").consume())
          .isInstanceOf(Neo4jException.class)
          .hasMessageContaining("cannot check leases");
    } finally {
      gateway.leases.down(false);
    }
  }

  @Test
  void logoff_then_logon_checks_the_lease_again() {
    // given a logged-in connection
    GatewayFixture.Lease lease = gateway.lease(Access.READ);
    try (RawBolt client =
        RawBolt.loggedIn(gateway.port(), BoltVersion.V5_8, lease.user(), lease.password())) {
      client.send(MessageType.LOGOFF);
      client.expect(0x70);

      // when the lease ends and the same credentials log on again
      gateway.leases.withdraw(lease.id());
      client.send(MessageType.LOGON, basic(lease.user(), lease.password()));

      // then
      RawBolt.Reply reply = client.expect(0x7F);
      assertThat(reply.metadata())
          .containsEntry("neo4j_code", "Neo.ClientError.Security.Unauthorized");
      assertThat(client.closedWithin(Duration.ofSeconds(2))).isTrue();
    }
  }

  @Test
  void logon_after_logoff_may_serve_another_lease() {
    GatewayFixture.Lease first = gateway.lease(Access.READ);
    GatewayFixture.Lease second = gateway.lease(Access.READ);
    try (RawBolt client =
        RawBolt.loggedIn(gateway.port(), BoltVersion.V5_8, first.user(), first.password())) {
      client.send(MessageType.LOGOFF);
      client.expect(0x70);

      client.send(MessageType.LOGON, basic(second.user(), second.password()));
      client.expect(0x70);
      client.send(MessageType.RUN, "SHOW CURRENT USER YIELD user", Map.of(), Map.of());
      client.expect(0x70);
      client.send(MessageType.PULL, Map.of("n", -1L));

      assertThat(client.expect(0x71).fields().get(0)).isEqualTo(java.util.List.of(second.user()));
      assertThat(gateway.connections.count(first.id())).isZero();
      assertThat(gateway.connections.count(second.id())).isEqualTo(1);
    }
  }

  @Test
  void only_basic_authentication_is_accepted() {
    try (RawBolt client = RawBolt.negotiated(gateway.port(), BoltVersion.V5_8)) {
      client.send(
          MessageType.HELLO,
          Map.of("user_agent", "raw-test/1", "bolt_agent", Map.of("product", "raw-test/1")));
      client.expect(0x70);
      client.send(MessageType.LOGON, Map.of("scheme", "bearer", "credentials", "a-token"));

      assertThat(client.expect(0x7F).metadata())
          .containsEntry("neo4j_code", "Neo.ClientError.Security.Unauthorized");
      assertThat(client.closedWithin(Duration.ofSeconds(2))).isTrue();
    }
  }

  static Map<String, Object> basic(String user, String password) {
    return Map.of("scheme", "basic", "principal", user, "credentials", password);
  }
}
