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

  /**
   * One project's facts and the mark of this generation of them. Marks come from one counter, so a
   * project dropped and cached anew never gets a mark a load of the old generation holds.
   */
  private static final class ProjectFacts {
    final long generation;
    final Map<String, Entry> facts = new LinkedHashMap<>();

    ProjectFacts(long generation) {
      this.generation = generation;
    }
  }

  /** A fresh value, and whether it is old enough to be read again (in the background). */
  record Hit(Object value, boolean refreshDue) {}

  private final Clock clock;
  private final Duration ttl;
  private final Duration refreshAhead;
  private final LinkedHashMap<Long, ProjectFacts> projects;
  private long generations;

  FactCache(Clock clock, Duration ttl, int maxProjects) {
    this.clock = clock;
    this.ttl = ttl;
    this.refreshAhead = ttl.dividedBy(4);
    this.projects =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<Long, ProjectFacts> eldest) {
            return size() > maxProjects;
          }
        };
  }

  /** The value cached under this key if it is still fresh, else null. */
  synchronized Hit getFresh(long projectId, String key) {
    ProjectFacts project = projects.get(projectId);
    Entry entry = project == null ? null : project.facts.get(key);
    if (entry == null) {
      return null;
    }
    Instant now = clock.instant();
    if (!now.isBefore(entry.expires())) {
      project.facts.remove(key);
      return null;
    }
    return new Hit(entry.value(), !now.isBefore(entry.expires().minus(refreshAhead)));
  }

  /**
   * A mark to take before reading a project's fact from GitLab and to hand to {@link #put}: a value
   * read before a webhook invalidated <em>that project</em> must not be cached after it, as if it
   * were newer. Other projects' invalidations do not touch it, so a storm of them for one project
   * leaves every other project cached.
   */
  synchronized long generation(long projectId) {
    return projects.computeIfAbsent(projectId, id -> new ProjectFacts(++generations)).generation;
  }

  /** Caches the value unless the project was invalidated since {@code generation} was taken. */
  synchronized void put(long projectId, String key, Object value, long generation) {
    ProjectFacts project = projects.get(projectId);
    if (project == null || project.generation != generation) {
      return;
    }
    if (project.facts.size() >= MAX_KEYS_PER_PROJECT && !project.facts.containsKey(key)) {
      project.facts.clear(); // rare; a full re-read is cheaper than tracking per-key recency
    }
    project.facts.put(key, new Entry(value, clock.instant().plus(ttl)));
  }

  synchronized void invalidate(long projectId) {
    projects.remove(projectId);
  }

  /** How many projects have facts cached. */
  synchronized int projectCount() {
    return (int) projects.values().stream().filter(p -> !p.facts.isEmpty()).count();
  }
}
