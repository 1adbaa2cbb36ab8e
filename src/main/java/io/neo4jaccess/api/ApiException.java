package io.neo4jaccess.api;

/**
 * A refusal of the HTTP layer's own (a body that is not the expected JSON, an unknown lease id):
 * failures of the features below have their own types, mapped in {@link ProblemMapper}. The detail
 * is written for the caller and never holds a secret.
 */
final class ApiException extends RuntimeException {

  private final ErrorCode code;

  ApiException(ErrorCode code, String detail) {
    super(detail, null, false, false);
    this.code = code;
  }

  ErrorCode code() {
    return code;
  }
}
