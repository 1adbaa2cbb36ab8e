package io.neo4jaccess.neo4j;

import static io.neo4jaccess.neo4j.TargetConfigs.target;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.neo4jaccess.state.StateStore;
import io.neo4jaccess.testing.EmbeddedNeo4j;
import io.neo4jaccess.testing.FlakyTcpProxy;
import io.neo4jaccess.testing.SharedNeo4j;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.neo4j.driver.AuthTokens;
import org.neo4j.driver.Driver;
import org.neo4j.driver.GraphDatabase;
import org.neo4j.harness.Neo4j;

/**
 * The broker's start against real servers: it refuses a layout in which job users could reach its
 * state store, or in which two targets would drop each other's users, telling servers apart by
 * their identity whatever URI names them.
 */
class ServerSeparationTest {

  private static final String OTHER_PASSWORD = "other-target-password-for-tests";
  private static Driver stateDriver;
  private static StateStore state;
  private static Neo4j otherServer;

  @BeforeAll
  static void connect() {
    stateDriver =
        GraphDatabase.driver(
            SharedNeo4j.stateBoltUri(), AuthTokens.basic("neo4j", SharedNeo4j.STATE_PASSWORD));
    state = new StateStore(stateDriver);
    otherServer = EmbeddedNeo4j.start(OTHER_PASSWORD);
  }

  @AfterAll
  static void close() {
    stateDriver.close();
    otherServer.close();
  }

  /** Starts the broker's targets as it does at start; closes them again when they start. */
  @SafeVarargs
  private static void start(Map<String, String>... targets) {
    new Targets(TargetConfigs.of(targets), state).all().forEach(Neo4jTarget::close);
  }

  @Test
  void a_target_on_the_state_stores_server_is_refused_at_start() {
    assertThatThrownBy(
            () ->
                start(
                    target("demo", SharedNeo4j.stateBoltUri(), SharedNeo4j.STATE_PASSWORD, "ci_")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("target 'demo' is on the Neo4j server of the state store")
        .hasMessageContaining("quarkus.neo4j.uri");
  }

  @Test
  void a_target_naming_the_state_stores_server_by_another_host_name_is_refused_at_start() {
    // Given the state store's server under a name other than the one the state store uses
    URI stateUri = SharedNeo4j.stateServer().boltURI();
    String alias = "localhost".equals(stateUri.getHost()) ? "127.0.0.1" : "localhost";
    String targetUri = "bolt://" + alias + ":" + stateUri.getPort();
    assertThat(targetUri).isNotEqualTo(SharedNeo4j.stateBoltUri());

    // When it is a target, then the broker does not start
    assertThatThrownBy(() -> start(target("demo", targetUri, SharedNeo4j.STATE_PASSWORD, "ci_")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("target 'demo' is on the Neo4j server of the state store");
  }

  @Test
  void a_target_reaching_the_state_stores_server_through_a_port_forward_is_refused_at_start() {
    try (FlakyTcpProxy forward =
        FlakyTcpProxy.start("127.0.0.1", SharedNeo4j.stateServer().boltURI().getPort())) {
      assertThatThrownBy(
              () ->
                  start(
                      target(
                          "forwarded",
                          "bolt://127.0.0.1:" + forward.port(),
                          SharedNeo4j.STATE_PASSWORD,
                          "ci_")))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("target 'forwarded' is on the Neo4j server of the state store");
    }
  }

  @Test
  void targets_on_one_server_whose_user_prefixes_overlap_are_refused_at_start() {
    assertThatThrownBy(
            () ->
                start(
                    target("staging", SharedNeo4j.boltUri(), SharedNeo4j.ADMIN_PASSWORD, "ci_"),
                    target("review", SharedNeo4j.boltUri(), SharedNeo4j.ADMIN_PASSWORD, "ci_rev_")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("are on one Neo4j server and their user prefixes")
        .hasMessageContaining("'review'")
        .hasMessageContaining("'staging'")
        .hasMessageContaining("'ci_'")
        .hasMessageContaining("'ci_rev_'");
  }

  @Test
  void targets_on_different_servers_may_have_overlapping_user_prefixes() {
    assertThatCode(
            () ->
                start(
                    target("staging", SharedNeo4j.boltUri(), SharedNeo4j.ADMIN_PASSWORD, "ci_"),
                    target("review", otherServer.boltURI().toString(), OTHER_PASSWORD, "ci_")))
        .doesNotThrowAnyException();
  }

  @Test
  void targets_on_one_server_with_distinct_prefixes_start() {
    assertThatCode(
            () ->
                start(
                    target("staging", SharedNeo4j.boltUri(), SharedNeo4j.ADMIN_PASSWORD, "ci_"),
                    target("review", SharedNeo4j.boltUri(), SharedNeo4j.ADMIN_PASSWORD, "rv_")))
        .doesNotThrowAnyException();
  }
}
