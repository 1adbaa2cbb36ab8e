package io.neo4jaccess.sweep;

import io.neo4jaccess.state.Expiring;
import java.time.Instant;

/** Deletes one kind of record past its retention, at most one batch per sweep. */
final class Pruning implements SweepStep {

  private final Expiring records;
  private final int batch;

  Pruning(Expiring records, int batch) {
    this.records = records;
    this.batch = batch;
  }

  @Override
  public String name() {
    return records.name() + "_pruned";
  }

  @Override
  public long run(Instant now, long budgetEnd) {
    return records.pruneExpired(now, batch);
  }
}
