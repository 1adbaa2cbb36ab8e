package io.neo4jaccess.api;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.List;
import java.util.Optional;

/** How the broker presents itself over HTTP. */
@ConfigMapping(prefix = "broker.api")
public interface ApiConfig {

  /**
   * The broker's external base URL (https), used in lease summary links and job annotations. The
   * packaged broker refuses to start without it, unless {@code broker.gitlab.allow-plain-http} is
   * set (development and the demo), where links are then built from the request.
   */
  Optional<String> publicUrl();

  /** Largest accepted body of {@code /v1/exchange} and {@code /v1/explain}, in bytes. */
  @WithDefault("16384")
  int maxRequestBytes();

  /** How often {@code /v1/exchange} and {@code /v1/explain} may be called, together. */
  RateLimit rateLimit();

  /**
   * Proxies whose {@code X-Forwarded-For} is believed, as addresses or CIDR ranges (e.g. {@code
   * 10.0.0.0/8}); from anyone else the header is ignored and the connection's address counts. Empty
   * by default: set it to the load balancers in front of the broker, or every request counts under
   * theirs.
   */
  Optional<List<String>> trustedProxies();

  /** Per-minute limits, each allowing its number at once and refilling over the minute. */
  interface RateLimit {

    /**
     * Requests per minute one project may make, counted by its verified ID token. A job makes one
     * exchange, and retries honour {@code Retry-After}; a pipeline of a thousand parallel jobs
     * fits.
     */
    @WithDefault("1200")
    int projectPerMinute();

    /**
     * Requests per minute from one source address (an IPv6 address counts by its /64), counted
     * before the token is read. Higher than a project's: runners of many projects may share one
     * address behind NAT.
     */
    @WithDefault("6000")
    int addressPerMinute();
  }
}
