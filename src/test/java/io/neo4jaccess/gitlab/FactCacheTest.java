package io.neo4jaccess.gitlab;

import static org.assertj.core.api.Assertions.assertThat;

import io.neo4jaccess.testing.MutableClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Freshness and invalidation of cached GitLab facts, on a clock the test moves. */
class FactCacheTest {

  private final MutableClock clock = new MutableClock();
  private final FactCache cache = new FactCache(clock, Duration.ofSeconds(60), 10);

  @Test
  void a_fact_is_due_for_refresh_in_the_last_quarter_of_its_ttl_and_gone_at_its_end() {
    cache.put(5, "branches", "value", cache.generation());

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
    long before = cache.generation();
    cache.invalidate(5);
    cache.put(5, "branches", "possibly old", before);
    assertThat(cache.getFresh(5, "branches")).isNull();

    cache.put(5, "branches", "read after", cache.generation());
    assertThat(cache.getFresh(5, "branches")).isEqualTo(new FactCache.Hit("read after", false));
  }
}
