package io.neo4jaccess.sweep;

import io.neo4jaccess.lease.LeaseQueries;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.BiFunction;

/**
 * Revokes leases a query finds due: webhook-requested ones the worker did not reach, expired ones,
 * failed revocations whose retry is due, and leases left issuing or revoking by a crashed replica.
 * A backlog of requested or expired leases (many expiring together) is worked off in one sweep,
 * batch after batch, within the sweep's time budget, so that sweeps never pile up behind each
 * other.
 */
final class DueLeases implements SweepStep {

  private final String name;
  private final LeaseQueries.Due due;
  private final Duration grace;
  private final boolean drain;
  private final LeaseQueries queries;
  private final Chunks chunks;
  private final int batch;
  private final BiFunction<List<String>, Instant, Integer> revoke;

  /**
   * @param grace how long before now a lease must have entered its state to be due
   * @param drain whether to go on with another batch while the budget lasts
   * @param revoke claims and revokes one chunk of leases due at the cutoff it is given; answers how
   *     many it claimed
   */
  DueLeases(
      String name,
      LeaseQueries.Due due,
      Duration grace,
      boolean drain,
      LeaseQueries queries,
      Chunks chunks,
      int batch,
      BiFunction<List<String>, Instant, Integer> revoke) {
    this.name = name;
    this.due = due;
    this.grace = grace;
    this.drain = drain;
    this.queries = queries;
    this.chunks = chunks;
    this.batch = batch;
    this.revoke = revoke;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public long run(Instant now, long budgetEnd) {
    long done = 0;
    while (true) {
      Instant cutoff = now.minus(grace);
      List<String> ids = queries.due(due, cutoff, batch);
      done += chunks.each(ids, chunk -> revoke.apply(chunk, cutoff));
      if (!drain || ids.size() < batch || System.nanoTime() - budgetEnd > 0) {
        return done;
      }
    }
  }
}
