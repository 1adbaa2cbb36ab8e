package io.neo4jaccess.sweep;

import java.time.Instant;

/** One thing the sweeper does in each run; steps run in the order the sweeper lists them. */
interface SweepStep {

  /** The step's name in the sweep report and logs, e.g. {@code expired}. */
  String name();

  /**
   * Does this step's work as of {@code now}.
   *
   * @param budgetEnd {@link System#nanoTime()} by which a step that could go on should stop
   * @return how many leases, users or records it handled
   */
  long run(Instant now, long budgetEnd);
}
