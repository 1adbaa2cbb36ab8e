package io.neo4jaccess.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The batching itself, without a database: who waits, what goes together, whose failure is whose. A
 * "transaction" here records the batch it was given; the first one can be held open to let others
 * queue behind it, the way concurrent exchanges queue behind a commit in flight.
 */
class GroupCommitTest {

  private final ExecutorService callers = Executors.newCachedThreadPool();
  private final List<List<Integer>> together = Collections.synchronizedList(new ArrayList<>());
  private final List<Integer> alone = Collections.synchronizedList(new ArrayList<>());
  private final CountDownLatch firstHeld = new CountDownLatch(1);
  private final CountDownLatch releaseFirst = new CountDownLatch(1);

  @AfterEach
  void stopCallers() {
    releaseFirst.countDown();
    callers.shutdownNow();
  }

  /** Answers each item with ten times its value; fails the items in {@code refused}. */
  private GroupCommit<Integer, Integer> commits(int maxBatch, List<Integer> refused) {
    Function<Integer, Integer> one =
        item -> {
          if (refused.contains(item)) {
            throw new IllegalArgumentException("refused " + item);
          }
          return item * 10;
        };
    return new GroupCommit<>(
        maxBatch,
        items -> {
          together.add(List.copyOf(items));
          return items.stream().map(one).toList();
        },
        item -> {
          alone.add(item);
          if (item == 0) {
            firstHeld.countDown();
            await(releaseFirst);
          }
          return one.apply(item);
        });
  }

  @Test
  void a_lone_caller_commits_alone_in_its_own_thread() {
    GroupCommit<Integer, Integer> commits = commits(8, List.of());
    String caller = Thread.currentThread().getName();
    GroupCommit<Integer, String> where =
        new GroupCommit<>(8, items -> List.of(), item -> Thread.currentThread().getName());

    assertThat(where.submit(1)).isEqualTo(caller);
    assertThat(commits.submit(7)).isEqualTo(70);
    assertThat(together).isEmpty();
    assertThat(alone).containsExactly(7);
  }

  @Test
  void callers_that_queue_behind_a_commit_are_committed_together_and_each_gets_its_answer()
      throws Exception {
    GroupCommit<Integer, Integer> commits = commits(64, List.of());

    List<CompletableFuture<Integer>> queued =
        queueBehindAHeldCommit(commits, List.of(1, 2, 3, 4, 5));

    for (int i = 1; i <= 5; i++) {
      assertThat(queued.get(i - 1).get(10, TimeUnit.SECONDS)).isEqualTo(i * 10);
    }
    assertThat(together).hasSize(1);
    assertThat(together.get(0)).containsExactlyInAnyOrder(1, 2, 3, 4, 5);
    assertThat(alone).containsExactly(0);
  }

  @Test
  void a_failing_batch_is_retried_item_by_item_and_only_the_bad_item_fails() throws Exception {
    GroupCommit<Integer, Integer> commits = commits(64, List.of(3));

    List<CompletableFuture<Integer>> queued = queueBehindAHeldCommit(commits, List.of(2, 3, 4));

    assertThat(queued.get(0).get(10, TimeUnit.SECONDS)).isEqualTo(20);
    assertThat(queued.get(2).get(10, TimeUnit.SECONDS)).isEqualTo(40);
    assertThatThrownBy(() -> queued.get(1).get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("refused 3");
    assertThat(together).hasSize(1);
    assertThat(alone).containsExactlyInAnyOrder(0, 2, 3, 4);
  }

  @Test
  void no_transaction_takes_more_than_the_batch_limit() throws Exception {
    GroupCommit<Integer, Integer> commits = commits(2, List.of());

    List<CompletableFuture<Integer>> queued =
        queueBehindAHeldCommit(commits, List.of(1, 2, 3, 4, 5));

    for (int i = 1; i <= 5; i++) {
      assertThat(queued.get(i - 1).get(10, TimeUnit.SECONDS)).isEqualTo(i * 10);
    }
    // 5 queued items, at most 2 per transaction: 2 + 2 together, the last one alone.
    assertThat(together).hasSize(2).allSatisfy(batch -> assertThat(batch).hasSize(2));
    assertThat(alone).hasSize(2).contains(0);
  }

  @Test
  void an_error_while_committing_fails_the_others_of_its_batch_instead_of_leaving_them_waiting()
      throws Exception {
    CountDownLatch held = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    GroupCommit<Integer, Integer> commits =
        new GroupCommit<>(
            64,
            items -> {
              throw new IllegalStateException("batch refused");
            },
            item -> {
              if (item == 0) {
                held.countDown();
                await(release);
                return 0;
              }
              throw new AssertionError("an Error, not an exception");
            });
    CompletableFuture<Integer> first = submitFrom(commits, 0);
    assertThat(held.await(10, TimeUnit.SECONDS)).isTrue();
    CompletableFuture<Integer> one = submitFrom(commits, 1);
    CompletableFuture<Integer> two = submitFrom(commits, 2);
    waitUntilQueued(commits, 2);

    release.countDown();

    assertThat(first.get(10, TimeUnit.SECONDS)).isZero();
    // Whichever of the two committed the batch sees the Error; the other must get an answer too.
    List<Throwable> failures = new ArrayList<>();
    for (CompletableFuture<Integer> f : List.of(one, two)) {
      assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .satisfies(e -> failures.add(e.getCause()));
    }
    assertThat(failures)
        .extracting(Throwable::getMessage)
        .containsExactlyInAnyOrder("an Error, not an exception", "write abandoned");
  }

  @Test
  void refuses_a_batch_limit_below_one() {
    assertThatThrownBy(() -> new GroupCommit<Integer, Integer>(0, items -> items, item -> item))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /**
   * Holds item 0's commit open, queues {@code items} behind it (each from its own thread), lets it
   * go, and checks that item 0 got its answer; returns the queued items' answers, in order.
   */
  private List<CompletableFuture<Integer>> queueBehindAHeldCommit(
      GroupCommit<Integer, Integer> commits, List<Integer> items) throws Exception {
    CompletableFuture<Integer> first = submitFrom(commits, 0);
    assertThat(firstHeld.await(10, TimeUnit.SECONDS)).isTrue();
    List<CompletableFuture<Integer>> queued =
        items.stream().map(item -> submitFrom(commits, item)).toList();
    waitUntilQueued(commits, items.size());
    releaseFirst.countDown();
    assertThat(first.get(10, TimeUnit.SECONDS)).isZero();
    return queued;
  }

  private CompletableFuture<Integer> submitFrom(GroupCommit<Integer, Integer> commits, int item) {
    CompletableFuture<Integer> answer = new CompletableFuture<>();
    callers.execute(
        () -> {
          try {
            answer.complete(commits.submit(item));
          } catch (Throwable e) {
            answer.completeExceptionally(e);
          }
        });
    return answer;
  }

  /** Spins (no sleep) until the callers have queued; they are threads of their own. */
  private static void waitUntilQueued(GroupCommit<?, ?> commits, int n) {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (commits.queued() < n) {
      assertThat(System.nanoTime()).as("callers queued in time").isLessThan(deadline);
      Thread.onSpinWait();
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      if (!latch.await(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException("never released");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
