package io.neo4jaccess.sweep;

import io.neo4jaccess.lease.LeaseQueries;
import io.neo4jaccess.lease.Revoker;
import io.neo4jaccess.neo4j.Neo4jTarget;
import io.neo4jaccess.neo4j.Targets;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Drops users with a target's prefix that no live lease owns: a crash between {@code CREATE USER}
 * and the lease record. The users are listed <em>before</em> the leases: a lease is written before
 * its user is created, so any user in the listing already has its lease in the store when the
 * leases are read.
 */
final class Orphans implements SweepStep {

  private static final Logger LOG = Logger.getLogger(Orphans.class);

  private final Targets targets;
  private final LeaseQueries queries;
  private final Revoker revoker;
  private final int batch;

  Orphans(Targets targets, LeaseQueries queries, Revoker revoker, int batch) {
    this.targets = targets;
    this.queries = queries;
    this.revoker = revoker;
    this.batch = batch;
  }

  @Override
  public String name() {
    return "orphans_dropped";
  }

  @Override
  public long run(Instant now, long budgetEnd) {
    long dropped = 0;
    for (Neo4jTarget target : targets.all()) {
      List<String> users;
      try {
        users = target.brokerUsers();
      } catch (RuntimeException e) {
        LOG.debugf("orphan check skipped, target unreachable: target=%s", target.name());
        continue;
      }
      if (users.isEmpty()) {
        continue;
      }
      Set<String> owned = queries.liveUsernames(target.name());
      List<String> orphans =
          users.stream().filter(u -> !owned.contains(u)).limit(batch - dropped).toList();
      dropped += revoker.dropOrphans(target, orphans);
      if (dropped >= batch) {
        break;
      }
    }
    return dropped;
  }
}
