package io.neo4jaccess.token;

/**
 * A token failed a step of the checklist. The message is the caller-safe detail: it names what is
 * wrong with the token, never a claim's value, a key or the token itself.
 */
public final class TokenRejected extends RuntimeException {

  /** Which check failed; each is a stable error code of the API. */
  public enum Reason {
    /** No {@code Authorization: Bearer} header. */
    MISSING,
    /** Not a compact JWS of JSON objects, or a claim missing or of the wrong type or range. */
    MALFORMED,
    /** Not RS256. */
    ALGORITHM,
    /** The signature does not verify with any of the instance's keys. */
    SIGNATURE,
    /** {@code iss} names no configured instance. */
    ISSUER_UNKNOWN,
    /** {@code aud} names none of the instance's audiences. */
    AUDIENCE,
    /** {@code exp} has passed. */
    EXPIRED,
    /** {@code nbf} or {@code iat} is in the future. */
    NOT_YET_VALID,
    /** {@code iat} is older than the maximum age. */
    TOO_OLD
  }

  private final Reason reason;

  public TokenRejected(Reason reason, String detail) {
    super(detail, null, false, false);
    this.reason = reason;
  }

  static TokenRejected malformed(String why) {
    return new TokenRejected(Reason.MALFORMED, "Malformed ID token: " + why + ".");
  }

  public Reason reason() {
    return reason;
  }
}
