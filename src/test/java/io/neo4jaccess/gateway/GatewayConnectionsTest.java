package io.neo4jaccess.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The registry of live connections: per-lease limits, closing a lease, refusing it afterwards. */
class GatewayConnectionsTest {

  private final GatewayConnections connections = new GatewayConnections(2, 3, Clock.systemUTC());
  private final AtomicInteger closed = new AtomicInteger();

  @Test
  void a_lease_holds_at_most_its_limit() {
    assertThat(connections.register("a", live()))
        .isEqualTo(GatewayConnections.Registration.REGISTERED);
    assertThat(connections.register("a", live()))
        .isEqualTo(GatewayConnections.Registration.REGISTERED);

    assertThat(connections.register("a", live()))
        .isEqualTo(GatewayConnections.Registration.LIMIT_REACHED);
    assertThat(connections.register("b", live()))
        .isEqualTo(GatewayConnections.Registration.REGISTERED);
  }

  @Test
  void closing_a_lease_closes_each_of_its_connections_and_no_other() {
    connections.register("a", live());
    connections.register("a", live());
    connections.register("b", live());

    assertThat(connections.closeLease("a")).isEqualTo(2);
    assertThat(closed).hasValue(2);
    assertThat(connections.count("b")).isEqualTo(1);
  }

  @Test
  void a_closed_lease_cannot_register_again() {
    connections.closeLease("a");

    assertThat(connections.register("a", live()))
        .isEqualTo(GatewayConnections.Registration.LEASE_CLOSED);
  }

  @Test
  void an_unregistered_connection_frees_its_place() {
    GatewayConnections.Live first = live();
    connections.register("a", first);
    connections.register("a", live());

    connections.unregister("a", first);

    assertThat(connections.register("a", live()))
        .isEqualTo(GatewayConnections.Registration.REGISTERED);
  }

  @Test
  void open_connections_are_limited_over_all_leases() {
    assertThat(connections.admit()).isTrue();
    assertThat(connections.admit()).isTrue();
    assertThat(connections.admit()).isTrue();
    assertThat(connections.admit()).isFalse();

    connections.release();

    assertThat(connections.admit()).isTrue();
  }

  private GatewayConnections.Live live() {
    return closed::incrementAndGet;
  }
}
