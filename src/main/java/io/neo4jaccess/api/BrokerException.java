package io.neo4jaccess.api;

import java.util.Map;

/**
 * A failure that the API reports as problem+json. The detail is written for the caller and must
 * never contain a token, a password or any other secret.
 */
public class BrokerException extends RuntimeException {

  private final ErrorCode code;
  private final Map<String, Object> extensions;

  public BrokerException(ErrorCode code, String detail) {
    this(code, detail, Map.of(), null);
  }

  public BrokerException(ErrorCode code, String detail, Throwable cause) {
    this(code, detail, Map.of(), cause);
  }

  public BrokerException(
      ErrorCode code, String detail, Map<String, Object> extensions, Throwable cause) {
    super(detail, cause, false, false);
    this.code = code;
    this.extensions = extensions;
  }

  public ErrorCode code() {
    return code;
  }

  /** Extra members of the problem document (e.g. the decision trace of a denial). */
  public Map<String, Object> extensions() {
    return extensions;
  }
}
