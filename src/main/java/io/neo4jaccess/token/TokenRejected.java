package io.neo4jaccess.token;

/** A token that fails a check of the checklist. The detail never quotes the token. */
public final class TokenRejected extends RuntimeException {

  /** Which check failed. */
  public enum Reason {
    MISSING,
    MALFORMED,
    ALGORITHM,
    SIGNATURE,
    ISSUER_UNKNOWN,
    AUDIENCE,
    EXPIRED,
    NOT_YET_VALID,
    TOO_OLD
  }

  private final Reason reason;

  public TokenRejected(Reason reason, String detail) {
    super(detail, null, false, false);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
