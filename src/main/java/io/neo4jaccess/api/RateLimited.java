package io.neo4jaccess.api;

/** A request over a rate limit: answered 429 with {@code Retry-After}, before any work is done. */
final class RateLimited extends RuntimeException {

  private final long retryAfterSeconds;

  RateLimited(String detail, long retryAfterSeconds) {
    super(detail, null, false, false);
    this.retryAfterSeconds = retryAfterSeconds;
  }

  long retryAfterSeconds() {
    return retryAfterSeconds;
  }
}
