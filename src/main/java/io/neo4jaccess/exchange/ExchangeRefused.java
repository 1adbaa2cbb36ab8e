package io.neo4jaccess.exchange;

import java.util.Map;

/**
 * An exchange, explain or self-revoke that cannot be done for this job. The detail is written for
 * the caller and never holds a token, a password or another secret.
 */
public final class ExchangeRefused extends RuntimeException {

  /** Why; the HTTP layer maps each to its status and code. */
  public enum Reason {
    /** No policy rule allows the job. */
    DENIED,
    /** No rule matched, and one failed only for want of a fact GitLab could not give. */
    GITLAB_UNAVAILABLE,
    /** The request body asks for more than the grant. */
    SCOPE_WIDENING,
    /** The request body is well-formed but cannot be honoured (e.g. a malformed ttl). */
    BAD_SCOPE,
    /** The token's {@code jti} was exchanged before. */
    TOKEN_REPLAYED,
    /** The Neo4j target could not create the user. */
    TARGET_UNAVAILABLE,
    /** The lease was given up by the sweeper before it became active; the job may retry. */
    ABANDONED,
    /** No lease of that id belongs to the job whose token was presented. */
    NO_SUCH_LEASE
  }

  private final Reason reason;
  private final Map<String, Object> extensions;

  public ExchangeRefused(Reason reason, String detail) {
    this(reason, detail, Map.of(), null);
  }

  public ExchangeRefused(
      Reason reason, String detail, Map<String, Object> extensions, Throwable cause) {
    super(detail, cause, false, false);
    this.reason = reason;
    this.extensions = extensions;
  }

  public Reason reason() {
    return reason;
  }

  /** Extra members of the answer, e.g. the decision trace of a denial. */
  public Map<String, Object> extensions() {
    return extensions;
  }
}
