package io.neo4jaccess.token;

/**
 * The issuing instance's signing keys cannot be fetched: GitLab is unreachable or misconfigured.
 */
public final class SigningKeysUnavailable extends RuntimeException {
  public SigningKeysUnavailable(String detail, Throwable cause) {
    super(detail, cause, false, false);
  }
}
