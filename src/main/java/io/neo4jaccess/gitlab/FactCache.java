package io.neo4jaccess.gitlab;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Facts read from one GitLab instance, grouped by project so that a webhook can drop a whole
 * project at once. Bounded: at most {@code maxProjects} projects (least recently used go first) and
 * {@link #MAX_KEYS_PER_PROJECT} facts per project (review apps can create many environments).
 * Entries older than the TTL are never returned; in the last quarter of their TTL they say that a
 * refresh is due, so that a busy project's facts are read again before they expire instead of while
 * an exchange waits.
 */
final class FactCache {

  static final int MAX_KEYS_PER_PROJECT = 128;

  private record Entry(Object value, Instant expires) {}

  /** A fresh value, and whether it is old enough to be read again (in the background). */
  record Hit(Object value, boolean refreshDue) {}

  private final Clock clock;
  private final Duration ttl;
  private final Duration refreshAhead;
  private final LinkedHashMap<Long, Map<String, Entry>> projects;
  private long invalidations;

  FactCache(Clock clock, Duration ttl, int maxProjects) {
    this.clock = clock;
    this.ttl = ttl;
    this.refreshAhead = ttl.dividedBy(4);
    this.projects =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<Long, Map<String, Entry>> eldest) {
            return size() > maxProjects;
          }
        };
  }

  /** The value cached under this key if it is still fresh, else null. */
  synchronized Hit getFresh(long projectId, String key) {
    Map<String, Entry> facts = projects.get(projectId);
    Entry entry = facts == null ? null : facts.get(key);
    if (entry == null) {
      return null;
    }
    Instant now = clock.instant();
    if (!now.isBefore(entry.expires())) {
      facts.remove(key);
      return null;
    }
    return new Hit(entry.value(), !now.isBefore(entry.expires().minus(refreshAhead)));
  }

  /**
   * A mark to take before reading GitLab and to hand to {@link #put}: a value read before a webhook
   * invalidated the cache must not be cached after it, as if it were newer.
   */
  synchronized long generation() {
    return invalidations;
  }

  /** Caches the value unless the cache was invalidated since {@code generation} was taken. */
  synchronized void put(long projectId, String key, Object value, long generation) {
    if (generation != invalidations) {
      return;
    }
    Map<String, Entry> facts = projects.computeIfAbsent(projectId, id -> new LinkedHashMap<>());
    if (facts.size() >= MAX_KEYS_PER_PROJECT && !facts.containsKey(key)) {
      facts.clear(); // rare; a full re-read is cheaper than tracking per-key recency
    }
    facts.put(key, new Entry(value, clock.instant().plus(ttl)));
  }

  synchronized void invalidate(long projectId) {
    invalidations++;
    projects.remove(projectId);
  }

  synchronized int projectCount() {
    return projects.size();
  }
}
