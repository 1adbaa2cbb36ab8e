package io.neo4jaccess.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.neo4jaccess.testing.BrokerTestResource;
import io.neo4jaccess.testing.SharedNeo4j;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Inject;
import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.neo4j.driver.AuthTokens;
import org.neo4j.driver.Driver;
import org.neo4j.driver.GraphDatabase;
import org.neo4j.driver.Session;
import org.neo4j.driver.SessionConfig;
import org.neo4j.driver.exceptions.AuthenticationException;
import org.neo4j.driver.exceptions.Neo4jException;

/**
 * The broker starts a gateway for a target that enables one, with the lease side's beans, and
 * offers the connection registry to the lease side.
 */
@QuarkusTest
@WithTestResource(BrokerTestResource.class)
@TestProfile(BrokerGatewayTest.GatewayOnDemo.class)
class BrokerGatewayTest {

  /** Target {@code demo} with a gateway on a free loopback port, and test lease beans. */
  public static class GatewayOnDemo implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "broker.neo4j.targets.demo.gateway.enabled", "true",
          "broker.neo4j.targets.demo.gateway.host", "127.0.0.1",
          "broker.neo4j.targets.demo.gateway.port", "0");
    }

    @Override
    public Set<Class<?>> getEnabledAlternatives() {
      return Set.of(Leases.class, Audit.class);
    }
  }

  /** The lease side, as the test sets it. */
  @Alternative
  @ApplicationScoped
  public static class Leases implements GatewayLeases {
    private final FixedGatewayLeases fixed = new FixedGatewayLeases();

    void add(GatewayGrant grant) {
      fixed.add(grant);
    }

    @Override
    public Optional<GatewayGrant> authenticate(String target, String user, String password) {
      return fixed.authenticate(target, user, password);
    }
  }

  /** Audit that counts. */
  @Alternative
  @ApplicationScoped
  public static class Audit extends CountingAudit {}

  private static final String USER = "gw_broker_job";
  private static final String PASSWORD = "broker-job-password-1";

  @Inject GatewayLauncher launcher;
  @Inject GatewayConnections connections;
  @Inject Leases leases;

  @Test
  void a_gateway_target_is_served_and_its_lease_closed_through_the_registry() {
    // given a job user with an active lease on target demo
    try (Session s = SharedNeo4j.admin().session(SessionConfig.forDatabase("system"))) {
      s.run(
              "CREATE OR REPLACE USER $u SET PASSWORD $p CHANGE NOT REQUIRED",
              Map.of("u", USER, "p", PASSWORD))
          .consume();
    }
    leases.add(
        new GatewayGrant(
            "broker-lease",
            "demo",
            "neo4j",
            Access.READ,
            false,
            false,
            new UpstreamLogin(USER, PASSWORD),
            "group/project",
            1,
            2));
    URI uri = URI.create(launcher.clientUri("demo").orElseThrow());

    try (Driver driver = GraphDatabase.driver(uri, AuthTokens.basic(USER, PASSWORD));
        Driver later = GraphDatabase.driver(uri, AuthTokens.basic(USER, PASSWORD));
        Session session = driver.session()) {
      // when
      assertThat(session.run("RETURN 1 AS x").single().get("x").asInt()).isEqualTo(1);
      int closed = connections.closeLease("broker-lease");

      // then the connection is gone, and a new login for the closed lease is refused
      assertThat(closed).isEqualTo(1);
      assertThatThrownBy(() -> session.run("RETURN 2").consume())
          .isInstanceOf(Neo4jException.class);
      assertThatThrownBy(() -> later.session().run("RETURN 3").consume())
          .isInstanceOf(AuthenticationException.class);
    } finally {
      try (Session s = SharedNeo4j.admin().session(SessionConfig.forDatabase("system"))) {
        s.run("DROP USER $u IF EXISTS", Map.of("u", USER)).consume();
      }
    }
  }
}
