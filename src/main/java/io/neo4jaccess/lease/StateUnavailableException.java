package io.neo4jaccess.lease;

/** The state store could not be read or written; nothing may be issued without it. */
public class StateUnavailableException extends RuntimeException {
  public StateUnavailableException(Throwable cause) {
    super("state store unavailable", cause, false, false);
  }
}
