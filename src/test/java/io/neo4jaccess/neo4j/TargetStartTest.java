package io.neo4jaccess.neo4j;

import static io.neo4jaccess.neo4j.TargetConfigs.target;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.neo4jaccess.state.StateStore;
import io.neo4jaccess.testing.SharedNeo4j;
import io.neo4jaccess.testing.StateProbe;
import java.net.ServerSocket;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.neo4j.driver.exceptions.ServiceUnavailableException;

/**
 * The targets at start, against real servers: they are connected together with the state store, one
 * that cannot be reached stops the start with the driver's own failure, and a user's creation can
 * be rehearsed without creating anybody.
 */
class TargetStartTest {

  private final StateStore state = new StateStore(SharedNeo4j.stateAdmin());

  @Test
  void an_unreachable_target_stops_the_start_with_the_drivers_own_failure() throws Exception {
    // given: a port nothing listens on
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    TargetConfig config =
        TargetConfigs.of(
            target("demo", SharedNeo4j.boltUri(), SharedNeo4j.ADMIN_PASSWORD, "ci_"),
            target("gone", "bolt://127.0.0.1:" + closed, SharedNeo4j.ADMIN_PASSWORD, "gone_"));

    // when / then
    assertThatThrownBy(() -> new Targets(config, state))
        .isInstanceOf(ServiceUnavailableException.class);
  }

  @Test
  void reachable_targets_start_with_their_edition_read() {
    // when
    Targets targets =
        new Targets(
            TargetConfigs.of(
                target("staging", SharedNeo4j.boltUri(), SharedNeo4j.ADMIN_PASSWORD, "st_"),
                target("review", SharedNeo4j.boltUri(), SharedNeo4j.ADMIN_PASSWORD, "rv_")),
            state);

    // then
    try {
      assertThat(targets.all())
          .extracting(t -> t.edition().name())
          .containsExactly("community", "community");
    } finally {
      targets.all().forEach(Neo4jTarget::close);
    }
  }

  @Test
  void rehearsing_a_users_creation_creates_no_user() {
    // given
    Neo4jTarget demo = TargetConfigs.demo(state);

    // when
    try {
      demo.rehearseCreateUser("ci_1_1_rehearsal", "a-password-long-enough", "neo4j", List.of());
    } finally {
      demo.close();
    }

    // then
    assertThat(StateProbe.brokerUsers()).doesNotContain("ci_1_1_rehearsal");
  }
}
