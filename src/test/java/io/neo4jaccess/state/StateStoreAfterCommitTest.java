package io.neo4jaccess.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.neo4jaccess.testing.SharedNeo4j;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What the work of a transaction reports through {@link StateStore#afterCommit}, on the state
 * store's real server: it happens after the commit, and only when there is one.
 */
class StateStoreAfterCommitTest {

  private final StateStore store = new StateStore(SharedNeo4j.stateAdmin());
  private final List<String> effects = new ArrayList<>();

  @Test
  void an_effect_runs_once_the_write_has_committed_and_not_before() {
    // when
    store.write(
        tx -> {
          tx.run("RETURN 1").consume();
          store.afterCommit(() -> effects.add("reported"));
          assertThat(effects).as("before the commit").isEmpty();
          return null;
        });

    // then
    assertThat(effects).containsExactly("reported");
  }

  @Test
  void the_effect_of_work_that_fails_never_runs() {
    // when / then
    assertThatThrownBy(
            () ->
                store.write(
                    tx -> {
                      store.afterCommit(() -> effects.add("reported"));
                      return tx.run("RETURN 1 / 0").consume();
                    }))
        .isInstanceOf(StateUnavailable.class);
    assertThat(effects).isEmpty();
  }

  @Test
  void the_effect_of_work_in_a_transaction_that_is_rolled_back_never_runs() {
    // when
    store.rolledBack(
        tx -> {
          store.afterCommit(() -> effects.add("reported"));
          return tx.run("RETURN 1").consume();
        });

    // then
    assertThat(effects).isEmpty();
  }

  @Test
  void an_effect_outside_the_work_of_a_transaction_is_refused() {
    // given
    store.write(tx -> tx.run("RETURN 1").consume());

    // when / then
    assertThatIllegalStateException().isThrownBy(() -> store.afterCommit(() -> effects.add("x")));
    assertThat(effects).isEmpty();
  }
}
