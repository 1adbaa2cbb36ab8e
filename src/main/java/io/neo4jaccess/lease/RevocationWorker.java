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
  private final Revoker revoker;
  private final ExecutorService executor;

  @Inject
  public RevocationWorker(Revoker revoker, LeaseConfig config) {
    this.revoker = revoker;
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

  /**
   * Queues the revocation of leases marked {@code revoke_requested}, as one batch; never blocks the
   * caller.
   */
  public void submit(List<String> leaseIds) {
    if (leaseIds.isEmpty()) {
      return;
    }
    try {
      executor.execute(() -> run(List.copyOf(leaseIds)));
    } catch (RejectedExecutionException e) {
      LOG.warnf("revocation queue full, left to the sweeper: leases=%s", leaseIds);
    }
  }

  private void run(List<String> leaseIds) {
    try {
      // The trigger recorded with the request stays the leases' reason.
      revoker.revoke(leaseIds, List.of(LeaseState.REVOKE_REQUESTED), null);
    } catch (RuntimeException e) {
      LOG.warnf(
          "requested revocation not performed, left to the sweeper: leases=%s error=%s",
          leaseIds, e.getClass().getSimpleName());
    }
  }

  @PreDestroy
  void close() {
    executor.shutdown();
  }
}
