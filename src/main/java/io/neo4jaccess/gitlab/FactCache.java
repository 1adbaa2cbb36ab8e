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
 * Entries older than the TTL are never returned.
 */
final class FactCache {

  static final int MAX_KEYS_PER_PROJECT = 128;

  private record Entry(Object value, Instant expires) {}

  private final Clock clock;
  private final Duration ttl;
  private final LinkedHashMap<Long, Map<String, Entry>> projects;

  FactCache(Clock clock, Duration ttl, int maxProjects) {
    this.clock = clock;
    this.ttl = ttl;
    this.projects =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<Long, Map<String, Entry>> eldest) {
            return size() > maxProjects;
          }
        };
  }

  /** The value cached under this key if it is still fresh, else null. */
  synchronized Object getFresh(long projectId, String key) {
    Map<String, Entry> facts = projects.get(projectId);
    Entry entry = facts == null ? null : facts.get(key);
    if (entry == null) {
      return null;
    }
    if (!clock.instant().isBefore(entry.expires())) {
      facts.remove(key);
      return null;
    }
    return entry.value();
  }

  synchronized void put(long projectId, String key, Object value) {
    Map<String, Entry> facts = projects.computeIfAbsent(projectId, id -> new LinkedHashMap<>());
    if (facts.size() >= MAX_KEYS_PER_PROJECT && !facts.containsKey(key)) {
      facts.clear(); // rare; a full re-read is cheaper than tracking per-key recency
    }
    facts.put(key, new Entry(value, clock.instant().plus(ttl)));
  }

  synchronized void invalidate(long projectId) {
    projects.remove(projectId);
  }

  synchronized int projectCount() {
    return projects.size();
  }
}
