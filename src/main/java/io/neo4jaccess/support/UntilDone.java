package io.neo4jaccess.support;

import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Work that runs in the background until it has once succeeded, for a readiness check that waits
 * for it: each {@link #check} starts a run when none has started yet or the last one failed, and
 * tells how the last run stands. A failure is answered once, by the check that finds it, while the
 * next run is already under way.
 */
public final class UntilDone {

  /** How the last run stands. */
  public enum Status {
    RUNNING,
    DONE,
    FAILED
  }

  private final Supplier<CompletableFuture<?>> start;
  private CompletableFuture<?> last;

  /**
   * @param start starts one run and returns it, without waiting for it
   */
  public UntilDone(Supplier<CompletableFuture<?>> start) {
    this.start = start;
  }

  /** Starts a run if none has started or the last failed; the last run's status. */
  public synchronized Status check() {
    CompletableFuture<?> seen = last;
    if (seen == null || seen.isCompletedExceptionally()) {
      last = start.get();
    }
    CompletableFuture<?> reported = seen == null ? last : seen;
    if (!reported.isDone()) {
      return Status.RUNNING;
    }
    return reported.isCompletedExceptionally() ? Status.FAILED : Status.DONE;
  }
}
