package io.neo4jaccess.support;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * Commits the writes of concurrent callers together ("group commit"). A Neo4j write transaction
 * costs the server about the same whatever it holds (bench/RESULTS.md), so while one caller's
 * transaction is in flight the callers that arrive queue, and the next of them to run commits all
 * that queued in one transaction. Each caller still returns only once its own write is committed:
 * batching changes what a write costs, never what a caller may assume when it returns. A lone
 * caller runs at once in its own thread, so without concurrency nothing waits and nothing is added.
 *
 * <p>When the batch's transaction fails, none of it was committed, and every item is tried again in
 * a transaction of its own, so that one item's failure (a replayed token, a user that exists) is
 * that item's alone. {@code together} must therefore be all-or-nothing, and {@code alone} must give
 * each item's own answer or exception.
 *
 * @param <I> what one caller writes
 * @param <O> what that caller learns from its write
 */
public final class GroupCommit<I, O> {

  private static final Logger LOG = Logger.getLogger(GroupCommit.class);

  private final int maxBatch;
  private final Function<List<I>, List<O>> together;
  private final Function<I, O> alone;
  private final ReentrantLock committing = new ReentrantLock();
  private final ArrayDeque<Pending<I, O>> queued = new ArrayDeque<>();

  /**
   * @param maxBatch the most items one transaction takes
   * @param together writes all items in one transaction; answers in the items' order
   * @param alone writes one item in a transaction of its own
   */
  public GroupCommit(int maxBatch, Function<List<I>, List<O>> together, Function<I, O> alone) {
    if (maxBatch < 1) {
      throw new IllegalArgumentException("maxBatch must be at least 1");
    }
    this.maxBatch = maxBatch;
    this.together = together;
    this.alone = alone;
  }

  /** Writes {@code item}, with whatever else is queued; returns once it is committed. */
  public O submit(I item) {
    Pending<I, O> mine = new Pending<>(item);
    synchronized (queued) {
      queued.add(mine);
    }
    while (!mine.done) {
      committing.lock();
      try {
        // Whoever held the lock may have committed this item along with its own.
        if (!mine.done) {
          commit(next());
        }
      } finally {
        committing.unlock();
      }
    }
    return mine.answer();
  }

  /** How many items wait for a transaction; for tests that need a batch to have formed. */
  int queued() {
    synchronized (queued) {
      return queued.size();
    }
  }

  private List<Pending<I, O>> next() {
    synchronized (queued) {
      List<Pending<I, O>> batch = new ArrayList<>(Math.min(queued.size(), maxBatch));
      while (!queued.isEmpty() && batch.size() < maxBatch) {
        batch.add(queued.poll());
      }
      return batch;
    }
  }

  private void commit(List<Pending<I, O>> batch) {
    try {
      List<Outcome<O>> outcomes =
          togetherOrEach(batch.stream().map(p -> p.item).toList(), together, alone);
      for (int i = 0; i < batch.size(); i++) {
        Outcome<O> outcome = outcomes.get(i);
        if (outcome.failure() == null) {
          batch.get(i).succeed(outcome.answer());
        } else {
          batch.get(i).fail(outcome.failure());
        }
      }
    } finally {
      // An Error on the way must not leave a caller waiting for an answer that never comes.
      for (Pending<I, O> p : batch) {
        if (!p.done) {
          p.fail(new IllegalStateException("write abandoned"));
        }
      }
    }
  }

  /** One item's outcome of {@link #togetherOrEach}: its answer, or its own failure. */
  public record Outcome<O>(O answer, RuntimeException failure) {}

  /**
   * Writes several items in one transaction ({@code together}, all-or-nothing); when that fails,
   * none of it was committed, and each item is written in a transaction of its own ({@code alone}),
   * so that one item's failure is that item's alone. A single item goes straight to {@code alone}.
   * The batching of {@link #submit}, also for callers that hold a list already (the sweeper's
   * revocations).
   *
   * @return an outcome per item, in the items' order
   */
  public static <I, O> List<Outcome<O>> togetherOrEach(
      List<I> items, Function<List<I>, List<O>> together, Function<I, O> alone) {
    if (items.size() > 1) {
      try {
        return together.apply(items).stream().map(answer -> new Outcome<>(answer, null)).toList();
      } catch (RuntimeException batchFailed) {
        // The class only: a message may quote the data of the item that failed.
        LOG.debugf(
            "batch of %d failed (%s), one at a time now",
            items.size(), batchFailed.getClass().getSimpleName());
      }
    }
    List<Outcome<O>> outcomes = new ArrayList<>(items.size());
    for (I item : items) {
      try {
        outcomes.add(new Outcome<>(alone.apply(item), null));
      } catch (RuntimeException e) {
        outcomes.add(new Outcome<>(null, e));
      }
    }
    return outcomes;
  }

  private static final class Pending<I, O> {
    final I item;
    // Written by the committing thread under the lock; read by the waiting one also outside it.
    volatile boolean done;
    private O answer;
    private RuntimeException failure;

    Pending(I item) {
      this.item = item;
    }

    void succeed(O value) {
      answer = value;
      done = true;
    }

    void fail(RuntimeException e) {
      failure = e;
      done = true;
    }

    O answer() {
      if (failure != null) {
        throw failure;
      }
      return answer;
    }
  }
}
