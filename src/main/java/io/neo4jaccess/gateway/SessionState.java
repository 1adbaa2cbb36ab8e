package io.neo4jaccess.gateway;

import java.util.EnumSet;
import java.util.Set;

/**
 * Where a client connection is, as the gateway sees it, and where it may go next. Requests are
 * judged by the state: anything a state does not expect is refused or ends the connection.
 */
enum SessionState {
  /** Magic and version proposals (and a manifest pick) are being read. */
  NEGOTIATING,
  /** A version was agreed; HELLO is expected. */
  CONNECTED,
  /** 5.1+: HELLO was answered; LOGON is expected. */
  AUTHENTICATION,
  /** Credentials are being checked against the leases, then used upstream. */
  LOGGING_IN,
  /** Logged in, no explicit transaction open. */
  READY,
  /** An explicit transaction is open (BEGIN forwarded, no COMMIT, ROLLBACK or RESET since). */
  IN_TRANSACTION,
  /** The gateway refused a request: like Neo4j, it answers IGNORED until RESET. */
  FAILED,
  CLOSED;

  /** The states this one may move to. */
  Set<SessionState> next() {
    return switch (this) {
      case NEGOTIATING -> EnumSet.of(CONNECTED, CLOSED);
      case CONNECTED -> EnumSet.of(AUTHENTICATION, LOGGING_IN, CLOSED);
      case AUTHENTICATION -> EnumSet.of(LOGGING_IN, CLOSED);
      case LOGGING_IN -> EnumSet.of(READY, CLOSED);
      case READY -> EnumSet.of(READY, IN_TRANSACTION, FAILED, AUTHENTICATION, CLOSED);
      case IN_TRANSACTION -> EnumSet.of(READY, IN_TRANSACTION, FAILED, CLOSED);
      case FAILED -> EnumSet.of(READY, FAILED, CLOSED);
      case CLOSED -> EnumSet.of(CLOSED);
    };
  }

  /** Whether a lease's grant applies (its requests are judged by {@link RequestFlow}). */
  boolean loggedIn() {
    return this == READY || this == IN_TRANSACTION || this == FAILED;
  }
}
