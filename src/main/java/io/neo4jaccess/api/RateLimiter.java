package io.neo4jaccess.api;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How often one project and one source address may call {@code /v1/exchange} and {@code
 * /v1/explain} together: a token bucket each, which allows its per-minute number at once and
 * refills evenly over the minute. A denied or replayed token costs the broker a policy evaluation
 * and GitLab reads, so the limits are checked before anything else: the address's before the token
 * is looked at, the project's as soon as the token is verified, both before any state is written.
 * Buckets live in memory per replica (n replicas allow n times the limits), at most {@link
 * #MAX_KEYS} of them: when that many are held, idle (full) ones are dropped, and should a flood of
 * new addresses still fill them, new keys share one bucket until some are idle again.
 */
@Startup
@ApplicationScoped
class RateLimiter {

  static final int MAX_KEYS = 100_000;
  private static final String OVERFLOW = "overflow";

  private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();
  private final ApiConfig.RateLimit limits;
  private final SourceAddress sources;
  private final Clock clock;
  private final MeterRegistry metrics;
  private volatile long lastEviction;

  @Inject
  RateLimiter(ApiConfig config, Clock clock, MeterRegistry metrics) {
    this.limits = config.rateLimit();
    this.clock = clock;
    this.metrics = metrics;
    if (limits.projectPerMinute() < 1 || limits.addressPerMinute() < 1) {
      throw new IllegalStateException("broker.api.rate-limit.* must be at least 1 per minute");
    }
    try {
      this.sources = new SourceAddress(config.trustedProxies().orElse(List.of()));
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("broker.api.trusted-proxies: " + e.getMessage());
    }
  }

  /**
   * Counts a request by where it comes from.
   *
   * @param peer the connection's remote address
   * @param forwardedFor the {@code X-Forwarded-For} values, comma-joined, or null
   */
  void address(String peer, String forwardedFor) {
    take("address", sources.of(peer, forwardedFor), limits.addressPerMinute());
  }

  /** Counts a request of the project a verified token names, e.g. {@code main/22}. */
  void project(String projectKey) {
    take("project", projectKey, limits.projectPerMinute());
  }

  private void take(String scope, String key, int perMinute) {
    long now = clock.millis();
    long waitMillis = bucket(scope + ":" + key, perMinute, now).take(now);
    if (waitMillis > 0) {
      metrics.counter("broker.rate_limited", "scope", scope).increment();
      long seconds = Math.max(1, (waitMillis + 999) / 1000);
      throw new ApiException(
          ErrorCode.RATE_LIMITED,
          "Too many requests from this " + scope + "; retry in " + seconds + " s.",
          seconds);
    }
  }

  private Bucket bucket(String key, int perMinute, long now) {
    Bucket b = buckets.get(key);
    if (b != null) {
      return b;
    }
    if (buckets.size() >= MAX_KEYS && now - lastEviction >= 1000) {
      lastEviction = now;
      buckets.values().removeIf(idle -> idle.full(now));
    }
    String held =
        buckets.size() >= MAX_KEYS ? key.substring(0, key.indexOf(':') + 1) + OVERFLOW : key;
    return buckets.computeIfAbsent(held, k -> new Bucket(perMinute, now));
  }

  /** Up to {@code capacity} requests at once, refilled at {@code capacity} per minute. */
  private static final class Bucket {
    private final double capacity;
    private final double perMilli;
    private double tokens;
    private long last;

    Bucket(int perMinute, long now) {
      this.capacity = perMinute;
      this.perMilli = perMinute / 60_000.0;
      this.tokens = perMinute;
      this.last = now;
    }

    /** Takes one request's token; answers 0, or how many milliseconds until one is there. */
    synchronized long take(long now) {
      refill(now);
      if (tokens >= 1) {
        tokens -= 1;
        return 0;
      }
      return (long) Math.ceil((1 - tokens) / perMilli);
    }

    synchronized boolean full(long now) {
      refill(now);
      return tokens >= capacity;
    }

    private void refill(long now) {
      tokens = Math.min(capacity, tokens + Math.max(0, now - last) * perMilli);
      last = Math.max(last, now);
    }
  }
}
