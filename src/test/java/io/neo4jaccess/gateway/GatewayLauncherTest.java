package io.neo4jaccess.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.runtime.LaunchMode;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The packaged broker listens for plain Bolt only when told to. */
class GatewayLauncherTest {

  private static final GatewaySettings PLAIN = GatewaySettings.defaults();
  private static final GatewaySettings TLS =
      PLAIN.withTls(new GatewaySettings.TlsFiles(Path.of("cert.pem"), Path.of("key.pem")));

  @Test
  void the_packaged_broker_refuses_plain_bolt() {
    assertThat(GatewayLauncher.insecure(LaunchMode.NORMAL, PLAIN, false)).isPresent();
  }

  @Test
  void plain_bolt_may_be_allowed_explicitly() {
    assertThat(GatewayLauncher.insecure(LaunchMode.NORMAL, PLAIN, true)).isEmpty();
  }

  @Test
  void tls_is_fit_for_production() {
    assertThat(GatewayLauncher.insecure(LaunchMode.NORMAL, TLS, false)).isEmpty();
  }

  @Test
  void development_and_tests_may_listen_in_plain() {
    assertThat(GatewayLauncher.insecure(LaunchMode.DEVELOPMENT, PLAIN, false)).isEmpty();
    assertThat(GatewayLauncher.insecure(LaunchMode.TEST, PLAIN, false)).isEmpty();
  }
}
