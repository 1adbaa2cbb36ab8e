package io.neo4jaccess.token;

/**
 * An instance's signing keys cannot be fetched (GitLab unreachable, slow or answering nonsense), so
 * no token of it can be checked now. The message is the caller-safe detail; the cause is for the
 * operator's log.
 */
public final class SigningKeysUnavailable extends RuntimeException {

  private final String instance;

  public SigningKeysUnavailable(String instance, Throwable cause) {
    super("The GitLab instance's signing keys cannot be fetched.", cause, false, false);
    this.instance = instance;
  }

  /** The configured name of the instance whose keys are missing. */
  public String instance() {
    return instance;
  }
}
