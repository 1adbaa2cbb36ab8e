package io.neo4jaccess.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.neo4jaccess.testing.SharedNeo4j;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.neo4j.driver.Result;
import org.neo4j.driver.Session;
import org.neo4j.driver.Transaction;
import org.neo4j.driver.exceptions.TransientException;

/**
 * A write that Neo4j rolls back for a real deadlock, on the state store's server: it runs once more
 * and commits, and a second deadlock is an outage like any other. The deadlock is made with a rival
 * transaction that holds more locks than the store's, so that Neo4j chooses the store's as the one
 * to end (it ends the holder of fewer locks).
 */
class StateStoreDeadlockTest {

  private final StateStore store = new StateStore(SharedNeo4j.stateAdmin());
  private final String label = "DeadlockTest" + UUID.randomUUID().toString().replace("-", "");
  private final List<CompletableFuture<Void>> rivals = new ArrayList<>();
  private final AtomicInteger attempts = new AtomicInteger();

  @BeforeEach
  void nodes() {
    run("UNWIND ['a', 'b', 'c1', 'c2', 'c3', 'c4'] AS name CREATE (:" + label + " {name: name})");
  }

  @AfterEach
  void rivalsEnded() throws Exception {
    for (CompletableFuture<Void> rival : rivals) {
      rival.get(30, TimeUnit.SECONDS);
    }
    run("MATCH (n:" + label + ") DELETE n");
  }

  @Test
  void a_write_that_neo4j_ends_for_a_deadlock_runs_once_more_and_commits() {
    // given
    AtomicInteger reported = new AtomicInteger();

    // when
    store.write(
        counted(
            tx -> {
              set(tx, "a", "store");
              store.afterCommit(reported::incrementAndGet);
              if (attempts.get() == 1) {
                deadlockOn(tx);
              }
              set(tx, "b", "store");
            }));

    // then
    assertThat(attempts).hasValue(2);
    assertThat(values()).containsEntry("a", "store").containsEntry("b", "store");
    assertThat(reported).as("effects of the attempt that was rolled back").hasValue(1);
  }

  @Test
  void an_auto_commit_statement_that_neo4j_ends_for_a_deadlock_runs_once_more_and_commits()
      throws Exception {
    // given a rival that holds b (and four more nodes) and asks for a when told to
    CountDownLatch askForA = new CountDownLatch(1);
    rival(askForA);

    // when the store's statement takes a and waits for b, and the rival then asks for a
    CompletableFuture<Object> statement =
        CompletableFuture.supplyAsync(
            () ->
                store.statement(
                    "MATCH (a:"
                        + label
                        + " {name: 'a'}) SET a.v = 'store' WITH a MATCH (b:"
                        + label
                        + " {name: 'b'}) SET b.v = 'store'",
                    Map.of(),
                    Result::consume));
    await().atMost(Duration.ofSeconds(30)).until(() -> blockedTransactions() > 0);
    askForA.countDown();

    // then both commit: the rival, which could only take a once Neo4j had ended the store's
    // transaction that held it, and the store's statement, run once more after the rival's commit
    rivals.get(0).get(30, TimeUnit.SECONDS);
    statement.get(30, TimeUnit.SECONDS);
    assertThat(values()).containsEntry("a", "store").containsEntry("b", "store");
  }

  @Test
  void a_second_deadlock_is_reported_as_the_state_store_unavailable_and_nothing_is_written() {
    // when / then
    assertThatThrownBy(
            () ->
                store.write(
                    counted(
                        tx -> {
                          set(tx, "a", "store");
                          deadlockOn(tx);
                        })))
        .isInstanceOf(StateUnavailable.class)
        .cause()
        .isInstanceOf(TransientException.class)
        .hasFieldOrPropertyWithValue("code", "Neo.TransientError.Transaction.DeadlockDetected");
    assertThat(attempts).hasValue(2);
    assertThat(values()).doesNotContainValue("store");
  }

  @Test
  void a_write_that_fails_otherwise_runs_once() {
    // when / then
    assertThatThrownBy(() -> store.write(counted(tx -> tx.run("RETURN 1 / 0").consume())))
        .isInstanceOf(StateUnavailable.class);
    assertThat(attempts).hasValue(1);
  }

  /** The work, counting the times it runs in {@link #attempts}. */
  private Function<Transaction, Void> counted(Consumer<Transaction> work) {
    return tx -> {
      attempts.incrementAndGet();
      work.accept(tx);
      return null;
    };
  }

  /**
   * Holds {@code b} (and four more nodes) in a rival transaction, has the rival wait for {@code a},
   * which {@code tx} holds, and then makes {@code tx} wait for {@code b}: a cycle, which Neo4j ends
   * by ending {@code tx}. Throws what {@code tx} got.
   */
  private void deadlockOn(Transaction tx) {
    rival(new CountDownLatch(0));
    set(tx, "b", "store");
    throw new AssertionError("no deadlock: the store's transaction took b");
  }

  /**
   * Starts a rival transaction and returns once it holds {@code b} and four more nodes; when {@code
   * askForA} opens, it asks for {@code a}, and commits once it has it.
   */
  private void rival(CountDownLatch askForA) {
    CountDownLatch held = new CountDownLatch(1);
    rivals.add(
        CompletableFuture.runAsync(
            () -> {
              try (Session s = SharedNeo4j.stateAdmin().session();
                  Transaction rival = s.beginTransaction()) {
                holdAllButA(rival);
                held.countDown();
                awaitLatch(askForA);
                set(rival, "a", "rival");
                rival.commit();
              }
            }));
    awaitLatch(held);
  }

  /** Five locks, so that Neo4j, which ends the holder of fewer, ends the store's transaction. */
  private void holdAllButA(Transaction rival) {
    rival.run("MATCH (n:" + label + ") WHERE n.name <> 'a' SET n.v = 'rival'", Map.of()).consume();
  }

  private static void awaitLatch(CountDownLatch latch) {
    try {
      assertThat(latch.await(30, TimeUnit.SECONDS)).as("the other side got there").isTrue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static long blockedTransactions() {
    try (Session s = SharedNeo4j.stateAdmin().session()) {
      return s.run(
              "SHOW TRANSACTIONS YIELD status WHERE status STARTS WITH 'Blocked'"
                  + " RETURN count(*) AS n")
          .single()
          .get("n")
          .asLong();
    }
  }

  private void set(Transaction tx, String name, String value) {
    tx.run(
            "MATCH (n:" + label + " {name: $name}) SET n.v = $value",
            Map.of("name", name, "value", value))
        .consume();
  }

  private Map<String, Object> values() {
    try (Session s = SharedNeo4j.stateAdmin().session()) {
      return s
          .run("MATCH (n:" + label + ") RETURN collect([n.name, n.v]) AS pairs")
          .single()
          .get("pairs")
          .asList(pair -> pair.asList())
          .stream()
          .filter(pair -> pair.get(1) != null)
          .collect(Collectors.toMap(pair -> (String) pair.get(0), pair -> pair.get(1)));
    }
  }

  private void run(String statement) {
    try (Session s = SharedNeo4j.stateAdmin().session()) {
      s.run(statement, Map.of()).consume();
    }
  }
}
