package io.neo4jaccess.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.neo4j.driver.Session;

/** A gateway with a PEM certificate speaks TLS only. */
class GatewayTlsTest {

  @RegisterExtension
  static final GatewayFixture gateway =
      GatewayFixture.start(
          GatewaySettings.defaults()
              .withTls(
                  new GatewaySettings.TlsFiles(
                      resource("test-cert.pem"), resource("test-key.pem"))),
          StatementGuard.ALLOW_ALL);

  @Test
  void a_driver_connects_over_tls_with_a_self_signed_certificate() {
    GatewayFixture.Lease lease = gateway.lease(Access.READ);

    try (Session s = gateway.driver(lease, "bolt+ssc").session()) {
      assertThat(s.run("RETURN 'encrypted' AS x").single().get("x").asString())
          .isEqualTo("encrypted");
    }
  }

  @Test
  void a_plain_bolt_client_is_not_answered() {
    try (RawBolt plain = RawBolt.connect(gateway.port())) {
      plain.write(io.neo4jaccess.gateway.bolt.Handshake.preamble(0x00000805).getBytes());

      assertThat(plain.closedWithin(Duration.ofSeconds(15))).isTrue();
    }
  }

  private static Path resource(String name) {
    try {
      return Path.of(GatewayTlsTest.class.getResource("/gateway/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
