package io.neo4jaccess.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.neo4jaccess.gateway.bolt.QueryParameters;
import io.vertx.core.Context;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.neo4j.driver.Session;
import org.neo4j.driver.exceptions.Neo4jException;

/**
 * A statement the guard finds slow to check (a long text) is checked on a worker thread, never on
 * the event loop that other connections share; its answer and the answers after it keep their
 * order.
 */
class SlowStatementTest {

  private static final List<Boolean> checkedOnEventLoop = new CopyOnWriteArrayList<>();

  /** Slow for texts with the word slow in them; refuses those with refused in them. */
  private static final StatementGuard GUARD =
      new StatementGuard() {
        @Override
        public GuardVerdict check(String query, QueryParameters parameters, GatewayGrant grant) {
          checkedOnEventLoop.add(Context.isOnEventLoopThread());
          return query.contains("refused")
              ? GuardVerdict.refused("test_rule", "refused for the test")
              : GuardVerdict.allowed();
        }

        @Override
        public boolean slow(String query) {
          return query.contains("slow");
        }
      };

  @RegisterExtension
  static final GatewayFixture gateway = GatewayFixture.start(GatewaySettings.defaults(), GUARD);

  @Test
  void a_slow_statement_is_checked_off_the_event_loop_and_answers_keep_their_order() {
    GatewayFixture.Lease lease = gateway.lease(Access.WRITE);
    checkedOnEventLoop.clear();
    try (Session s = gateway.driver(lease).session()) {
      // when a slow statement, then a quick one, run in one transaction
      List<Object> answers =
          s.executeWrite(
              tx ->
                  List.of(
                      tx.run("RETURN 'slow' AS x").single().get("x").asString(),
                      tx.run("RETURN $n AS x", Map.of("n", 2)).single().get("x").asInt()));

      // then each got its own answer, and only the slow one was checked off the loop
      assertThat(answers).containsExactly("slow", 2);
    }
    assertThat(checkedOnEventLoop).containsExactly(false, true);
  }

  @Test
  void a_slow_statement_that_is_refused_leaves_the_session_usable() {
    GatewayFixture.Lease lease = gateway.lease(Access.WRITE);
    try (Session s = gateway.driver(lease).session()) {
      assertThatThrownBy(() -> s.run("RETURN 'slow but refused'").consume())
          .isInstanceOf(Neo4jException.class)
          .hasMessage("lease " + lease.id() + ": refused for the test");

      assertThat(s.run("RETURN 3 AS x").single().get("x").asInt()).isEqualTo(3);
    }
  }
}
