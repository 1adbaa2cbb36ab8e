package io.neo4jaccess.api;

/**
 * The stable, machine-readable error codes of the v1 API (docs/operating.md, "HTTP API") and their
 * HTTP status.
 */
public enum ErrorCode {
  TOKEN_MISSING(401, "No ID token"),
  TOKEN_MALFORMED(401, "Malformed ID token"),
  TOKEN_ALGORITHM(401, "ID token algorithm not accepted"),
  TOKEN_SIGNATURE(401, "ID token signature not valid"),
  TOKEN_ISSUER_UNKNOWN(401, "ID token issuer not trusted"),
  TOKEN_AUDIENCE(401, "ID token audience not accepted"),
  TOKEN_EXPIRED(401, "ID token expired"),
  TOKEN_NOT_YET_VALID(401, "ID token not yet valid"),
  TOKEN_TOO_OLD(401, "ID token too old"),
  TOKEN_REPLAYED(401, "ID token already used"),
  WEBHOOK_UNAUTHORIZED(401, "Webhook not authenticated"),
  DENIED(403, "Access denied by policy"),
  SCOPE_WIDENING(403, "Requested scope exceeds the grant"),
  NOT_FOUND(404, "Not found"),
  GITLAB_UNAVAILABLE(503, "GitLab unavailable"),
  TARGET_UNAVAILABLE(503, "Neo4j target unavailable"),
  STATE_UNAVAILABLE(503, "State store unavailable"),
  BAD_REQUEST(400, "Bad request"),
  PAYLOAD_TOO_LARGE(413, "Payload too large"),
  RATE_LIMITED(429, "Too many requests"),
  INTERNAL(500, "Internal error");

  private final int status;
  private final String title;

  ErrorCode(int status, String title) {
    this.status = status;
    this.title = title;
  }

  public int status() {
    return status;
  }

  public String title() {
    return title;
  }

  /** The code as it appears on the wire, e.g. {@code token_expired}. */
  public String code() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
