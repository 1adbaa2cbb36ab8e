package io.neo4jaccess.gitlab;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.jboss.logging.Logger;

/**
 * One instance's facts, cached per project ({@link FactCache}) and loaded at most once at a time
 * each: when an entry expires under load, concurrent exchanges share the one GitLab call (and its
 * failure) instead of each making their own.
 */
final class CachedFacts {

  private static final Logger LOG = Logger.getLogger(CachedFacts.class);

  /**
   * Fact reads by where the answer came from: {@code cache}, or {@code gitlab} when the exchange
   * waited for a load (its own or a concurrent one). Background refreshes are not reads.
   */
  static final String READS_METRIC = "broker.gitlab.fact.reads";

  /** Reads a fact from GitLab, possibly with several calls. */
  @FunctionalInterface
  interface Loader<T> {
    T load() throws GitLabUnavailable;
  }

  /** A value and whether it came from the cache. */
  record Read<T>(T value, boolean cached) {}

  private final String instance;
  private final FactCache cache;
  private final Executor refreshes;
  private final ConcurrentHashMap<String, CompletableFuture<Object>> inFlight =
      new ConcurrentHashMap<>();
  // Resolved once: a fact read is on every exchange, a registry lookup per read need not be.
  private final Counter readsFromCache;
  private final Counter readsFromGitLab;

  CachedFacts(String instance, FactCache cache, MeterRegistry meters, Executor refreshes) {
    this.instance = instance;
    this.cache = cache;
    this.refreshes = refreshes;
    this.readsFromCache = meters.counter(READS_METRIC, "instance", instance, "source", "cache");
    this.readsFromGitLab = meters.counter(READS_METRIC, "instance", instance, "source", "gitlab");
  }

  /**
   * A fresh cached value, or one loaded now (and cached when the load succeeds). One load per fact
   * at a time: when an entry expires under load, concurrent exchanges share the one GitLab call
   * (and its failure) instead of each making their own. A value in the last quarter of its TTL is
   * still served, and read again in the background, so that a busy project's exchanges do not wait
   * for GitLab each TTL; a failed refresh leaves the value to expire as it would have.
   */
  @SuppressWarnings("unchecked")
  <T> Read<T> cached(long projectId, String key, Loader<T> loader) throws GitLabUnavailable {
    FactCache.Hit hit = cache.getFresh(projectId, key);
    if (hit != null) {
      if (hit.refreshDue()) {
        refreshInBackground(projectId, key, loader);
      }
      readsFromCache.increment();
      return new Read<>((T) hit.value(), true);
    }
    readsFromGitLab.increment();
    String flightKey = projectId + "/" + key;
    CompletableFuture<Object> mine = new CompletableFuture<>();
    CompletableFuture<Object> running = inFlight.putIfAbsent(flightKey, mine);
    if (running != null) {
      return new Read<>((T) awaitLoad(running), true);
    }
    return new Read<>((T) load(projectId, key, loader, flightKey, mine), false);
  }

  private void refreshInBackground(long projectId, String key, Loader<?> loader) {
    String flightKey = projectId + "/" + key;
    CompletableFuture<Object> mine = new CompletableFuture<>();
    if (inFlight.putIfAbsent(flightKey, mine) != null) {
      return; // a load of this fact is running already
    }
    try {
      refreshes.execute(
          () -> {
            try {
              load(projectId, key, loader, flightKey, mine);
            } catch (GitLabUnavailable | RuntimeException e) {
              LOG.debugf("background refresh failed: instance=%s project=%d", instance, projectId);
            }
          });
    } catch (RejectedExecutionException e) {
      inFlight.remove(flightKey, mine);
      mine.cancel(false);
    }
  }

  /**
   * Loads a fact as the one flight for its key; whoever waits on {@code mine} shares the result.
   */
  private Object load(
      long projectId,
      String key,
      Loader<?> loader,
      String flightKey,
      CompletableFuture<Object> mine)
      throws GitLabUnavailable {
    long generation = cache.generation(projectId);
    try {
      Object value = loader.load();
      cache.put(projectId, key, value, generation);
      mine.complete(value);
      return value;
    } catch (GitLabUnavailable | RuntimeException e) {
      mine.completeExceptionally(e);
      throw e;
    } finally {
      inFlight.remove(flightKey, mine);
    }
  }

  private static Object awaitLoad(CompletableFuture<Object> running) throws GitLabUnavailable {
    try {
      return running.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof GitLabUnavailable unavailable) {
        throw unavailable;
      }
      throw e;
    }
  }

  void invalidate(long projectId) {
    cache.invalidate(projectId);
  }

  /** For tests: how many projects are cached. */
  int projectCount() {
    return cache.projectCount();
  }
}
