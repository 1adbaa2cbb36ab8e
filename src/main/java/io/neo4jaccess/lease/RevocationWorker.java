package io.neo4jaccess.lease;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * Performs revocations that a webhook recorded as {@code revoke_requested}, right after GitLab got
 * its answer. Nothing here is the only copy: a lease this worker never reaches (full queue, crash,
 * shutdown) is still {@code revoke_requested} in the state store and the sweeper revokes it.
 */
@ApplicationScoped
public class RevocationWorker {

  private static final Logger LOG = Logger.getLogger(RevocationWorker.class);
  private static final List<String> REQUESTED = List.of("revoke_requested");

  private final RevocationService revocations;
  private final ExecutorService executor;

  @Inject
  public RevocationWorker(RevocationService revocations, LeaseConfig config) {
    this.revocations = revocations;
    AtomicInteger n = new AtomicInteger();
    this.executor =
        new ThreadPoolExecutor(
            config.revocationThreads(),
            config.revocationThreads(),
            60,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(10_000),
            r -> {
              Thread t = new Thread(r, "revocation-worker-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
  }

  /** Queues the revocation of leases marked {@code revoke_requested}; never blocks the caller. */
  public void submit(List<String> leaseIds) {
    for (String id : leaseIds) {
      try {
        executor.execute(() -> run(id));
      } catch (RejectedExecutionException e) {
        LOG.warnf("revocation queue full, left to the sweeper: lease=%s", id);
      }
    }
  }

  private void run(String leaseId) {
    try {
      // The trigger recorded with the request stays the lease's reason.
      revocations.claimAndRevoke(leaseId, REQUESTED, null);
    } catch (RuntimeException e) {
      LOG.warnf(
          "requested revocation not performed, left to the sweeper: lease=%s error=%s",
          leaseId, e.getClass().getSimpleName());
    }
  }

  @PreDestroy
  void close() {
    executor.shutdown();
  }
}
