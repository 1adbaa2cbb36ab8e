package io.neo4jaccess.gitlab;

/**
 * A GitLab read that produced no fact. {@link #reason()} is short and safe to show in a decision
 * trace (never a token, never a response body).
 */
final class GitLabUnavailable extends Exception {

  private final int httpStatus;

  GitLabUnavailable(String reason) {
    this(reason, 0);
  }

  GitLabUnavailable(String reason, int httpStatus) {
    super(reason, null, false, false); // no stack trace: this is an expected outcome, not a bug
    this.httpStatus = httpStatus;
  }

  String reason() {
    return getMessage();
  }

  /** The HTTP status GitLab answered with, or 0 when there was no answer. */
  int httpStatus() {
    return httpStatus;
  }
}
