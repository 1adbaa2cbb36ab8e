package io.neo4jaccess.state;

/**
 * The state store could not be read or written. Nothing may be issued or revoked without it: the
 * HTTP layer answers 503 {@code state_unavailable}, the sweeper waits for its next run.
 */
public final class StateUnavailable extends RuntimeException {
  public StateUnavailable(Throwable cause) {
    super("state store unavailable", cause, false, false);
  }
}
