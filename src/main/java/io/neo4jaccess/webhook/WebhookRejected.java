package io.neo4jaccess.webhook;

/** A webhook delivery that is not acted on. The detail never holds a secret or a signature. */
public final class WebhookRejected extends RuntimeException {

  /** Why; the HTTP layer maps each to its status and code. */
  public enum Reason {
    /** Larger than {@code broker.webhook.max-body-bytes}. */
    TOO_LARGE,
    /** No configured instance's secret or signature matches. */
    UNAUTHORIZED,
    /** Not a JSON object, or an event without the fields it is acted on by, or a bad header. */
    MALFORMED
  }

  private final Reason reason;

  public WebhookRejected(Reason reason, String detail) {
    super(detail, null, false, false);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
