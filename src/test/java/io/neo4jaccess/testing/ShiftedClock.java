package io.neo4jaccess.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The machine's time plus an offset a test moves forward: a whole broker can run on it (tokens,
 * timeouts and group commits see time pass) while a test jumps it past a period boundary.
 */
public final class ShiftedClock extends Clock {

  private volatile Duration offset = Duration.ZERO;

  public void shift(Duration by) {
    offset = offset.plus(by);
  }

  @Override
  public Instant instant() {
    return Instant.now().plus(offset);
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }
}
