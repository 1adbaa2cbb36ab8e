package io.neo4jaccess.state;

import java.time.Instant;

/**
 * Records kept only for a while (used token ids, webhook delivery keys, decisions). The sweeper
 * prunes every implementation, so that no stored thing grows without bound.
 */
public interface Expiring {

  /** A short name for logs and the sweep report, e.g. {@code used_jtis}. */
  String name();

  /**
   * Deletes at most {@code limit} records past their retention at {@code now}.
   *
   * @return how many were deleted
   */
  long pruneExpired(Instant now, int limit);
}
