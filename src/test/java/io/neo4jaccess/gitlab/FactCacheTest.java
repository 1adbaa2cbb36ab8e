package io.neo4jaccess.gitlab;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.neo4jaccess.testing.MutableClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Freshness and invalidation of cached GitLab facts, on a clock the test moves. */
class FactCacheTest {

  private final MutableClock clock = new MutableClock();
  private final FactCache cache = new FactCache(clock, Duration.ofSeconds(60), 10);

  @Test
  void a_fact_is_due_for_refresh_in_the_last_quarter_of_its_ttl_and_gone_at_its_end() {
    cache.put(5, "branches", "value", cache.generation(5));

    clock.advance(Duration.ofSeconds(44));
    assertThat(cache.getFresh(5, "branches")).isEqualTo(new FactCache.Hit("value", false));
    clock.advance(Duration.ofSeconds(1));
    assertThat(cache.getFresh(5, "branches")).isEqualTo(new FactCache.Hit("value", true));
    clock.advance(Duration.ofSeconds(15));
    assertThat(cache.getFresh(5, "branches")).isNull();
  }

  @Test
  void a_value_read_before_an_invalidation_is_not_cached_after_it() {
    // A load takes its mark, a webhook invalidates meanwhile, then the load's answer arrives:
    // it may predate the change the webhook announced, so it must not be cached.
    long before = cache.generation(5);
    cache.invalidate(5);
    cache.put(5, "branches", "possibly old", before);
    assertThat(cache.getFresh(5, "branches")).isNull();

    cache.put(5, "branches", "read after", cache.generation(5));
    assertThat(cache.getFresh(5, "branches")).isEqualTo(new FactCache.Hit("read after", false));
  }

  @Test
  void an_invalidation_of_one_project_does_not_keep_another_projects_load_from_being_cached() {
    // Given a load of project 6 that took its mark
    long mark = cache.generation(6);

    // When project 5 is invalidated meanwhile
    cache.invalidate(5);
    cache.put(6, "branches", "value", mark);

    // Then project 6's value is cached
    assertThat(cache.getFresh(6, "branches")).isEqualTo(new FactCache.Hit("value", false));
  }

  @Test
  void an_invalidation_storm_on_project_a_leaves_project_b_cached() throws GitLabUnavailable {
    // Given an instance's cached facts, and Deployment Hooks for project A arriving all the time:
    // one per load of project B here, the worst interleaving a flood can reach
    CachedFacts facts = new CachedFacts("gitlab", cache, new SimpleMeterRegistry(), Runnable::run);
    long projectA = 5;
    long projectB = 6;
    CachedFacts.Loader<String> loadOfB =
        () -> {
          for (int i = 0; i < 1_000; i++) {
            facts.invalidate(projectA);
          }
          return "protected";
        };

    // When project B's fact is read, twice
    CachedFacts.Read<String> first = facts.cached(projectB, "branches", loadOfB);
    CachedFacts.Read<String> second =
        facts.cached(
            projectB,
            "branches",
            () -> {
              throw new AssertionError("project B's fact was not cached");
            });

    // Then the first read loaded it from GitLab and the second came from the cache
    assertThat(first).isEqualTo(new CachedFacts.Read<>("protected", false));
    assertThat(second).isEqualTo(new CachedFacts.Read<>("protected", true));
  }
}
