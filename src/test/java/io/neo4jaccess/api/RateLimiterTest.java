package io.neo4jaccess.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.neo4jaccess.testing.MutableClock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The limits count per project and per address, refill over the minute and say when to retry. */
class RateLimiterTest {

  static ApiConfig config(int perProject, int perAddress, List<String> proxies) {
    return new ApiConfig() {
      @Override
      public Optional<String> publicUrl() {
        return Optional.empty();
      }

      @Override
      public int maxRequestBytes() {
        return 16384;
      }

      @Override
      public RateLimit rateLimit() {
        return new RateLimit() {
          @Override
          public int projectPerMinute() {
            return perProject;
          }

          @Override
          public int addressPerMinute() {
            return perAddress;
          }
        };
      }

      @Override
      public Optional<List<String>> trustedProxies() {
        return Optional.of(proxies);
      }
    };
  }

  final MutableClock clock = new MutableClock();
  final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
  final RateLimiter limiter = new RateLimiter(config(3, 5, List.of()), clock, metrics);

  @Test
  void a_project_may_make_its_per_minute_number_at_once_and_is_then_told_when_to_retry() {
    // given
    for (int i = 0; i < 3; i++) {
      limiter.project("main/22");
    }

    // when / then
    assertThatThrownBy(() -> limiter.project("main/22"))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.RATE_LIMITED);
              assertThat(e.retryAfterSeconds()).isEqualTo(20);
            });
    assertThat(metrics.counter("broker.rate_limited", "scope", "project").count()).isEqualTo(1);
  }

  @Test
  void the_bucket_refills_evenly_over_the_minute() {
    // given a project that used its three
    for (int i = 0; i < 3; i++) {
      limiter.project("main/22");
    }

    // when a third of a minute passed
    clock.advance(Duration.ofSeconds(20));

    // then one more is allowed, and no second
    limiter.project("main/22");
    assertThatThrownBy(() -> limiter.project("main/22")).isInstanceOf(ApiException.class);
  }

  @Test
  void projects_and_addresses_are_counted_apart() {
    for (int i = 0; i < 3; i++) {
      limiter.project("main/22");
    }

    assertThatCode(
            () -> {
              limiter.project("main/23");
              limiter.project("other/22");
              limiter.address("198.51.100.7", null);
            })
        .doesNotThrowAnyException();
  }

  @Test
  void an_address_is_limited_whatever_it_forwards_unless_it_is_a_trusted_proxy() {
    for (int i = 0; i < 5; i++) {
      limiter.address("198.51.100.7", "203.0.113." + i);
    }

    assertThatThrownBy(() -> limiter.address("198.51.100.7", "203.0.113.99"))
        .isInstanceOf(ApiException.class);
  }

  @Test
  void a_limit_below_one_per_minute_is_refused_at_start() {
    assertThatThrownBy(() -> new RateLimiter(config(0, 5, List.of()), clock, metrics))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("broker.api.rate-limit");
  }

  @Test
  void a_trusted_proxy_that_is_no_address_is_refused_at_start() {
    assertThatThrownBy(() -> new RateLimiter(config(3, 5, List.of("lb.internal")), clock, metrics))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("broker.api.trusted-proxies");
  }
}
