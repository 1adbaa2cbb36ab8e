package io.neo4jaccess.api;

/**
 * A refusal of the HTTP layer's own (a body that is not the expected JSON, an unknown lease id, a
 * rate limit): failures of the features below have their own types, mapped in {@link
 * ProblemMapper}. The detail is written for the caller and never holds a secret.
 */
final class ApiException extends RuntimeException {

  private final ErrorCode code;
  private final long retryAfterSeconds;

  ApiException(ErrorCode code, String detail) {
    this(code, detail, 0);
  }

  /**
   * @param retryAfterSeconds when the caller may try again ({@code Retry-After}), or 0
   */
  ApiException(ErrorCode code, String detail, long retryAfterSeconds) {
    super(detail, null, false, false);
    this.code = code;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  ErrorCode code() {
    return code;
  }

  long retryAfterSeconds() {
    return retryAfterSeconds;
  }
}
