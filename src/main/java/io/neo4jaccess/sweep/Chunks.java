package io.neo4jaccess.sweep;

import io.neo4jaccess.lease.LeaseConfig;
import io.neo4jaccess.state.StateUnavailable;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.ToIntFunction;
import org.jboss.logging.Logger;

/**
 * Works a list of leases off in chunks of {@code broker.lease.revocation-batch-size}, {@code
 * revocation-threads} chunks at a time: one claim transaction, one listing of the target's
 * transactions and connections, one transaction recording the outcomes per chunk, instead of one
 * each per lease. The ids are shuffled first so that replicas sweeping the same backlog mostly
 * claim different leases instead of racing for the same one.
 */
@ApplicationScoped
class Chunks {

  private static final Logger LOG = Logger.getLogger(Chunks.class);

  private final int size;
  private final ExecutorService pool;

  @Inject
  Chunks(LeaseConfig config) {
    this.size = Math.max(1, config.revocationBatchSize());
    this.pool =
        Executors.newFixedThreadPool(
            config.revocationThreads(),
            r -> {
              Thread t = new Thread(r, "lease-sweeper");
              t.setDaemon(true);
              return t;
            });
  }

  @PreDestroy
  void stop() {
    pool.shutdownNow();
  }

  /**
   * Applies {@code work} to each chunk of {@code ids}; a chunk that fails counts nothing and is
   * logged (its leases are still due and the next sweep tries again).
   *
   * @return the sum of what {@code work} answered
   * @throws StateUnavailable after every chunk ended, when any found the state store down
   */
  int each(List<String> ids, ToIntFunction<List<String>> work) {
    List<String> order = new ArrayList<>(ids);
    Collections.shuffle(order);
    List<Future<Integer>> results = new ArrayList<>();
    for (int i = 0; i < order.size(); i += size) {
      List<String> chunk = order.subList(i, Math.min(order.size(), i + size));
      results.add(pool.submit(() -> run(chunk, work)));
    }
    int n = 0;
    StateUnavailable stateDown = null;
    for (Future<Integer> result : results) {
      try {
        n += result.get();
      } catch (ExecutionException e) {
        if (e.getCause() instanceof StateUnavailable down) {
          stateDown = down;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("sweep interrupted", e);
      }
    }
    if (stateDown != null) {
      throw stateDown;
    }
    return n;
  }

  private static int run(List<String> chunk, ToIntFunction<List<String>> work) {
    try {
      return work.applyAsInt(chunk);
    } catch (StateUnavailable e) {
      throw e;
    } catch (RuntimeException e) {
      LOG.warnf("sweep step failed for %d leases: error=%s", chunk.size(), e.getClass().getName());
      return 0;
    }
  }
}
