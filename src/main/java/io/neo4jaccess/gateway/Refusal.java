package io.neo4jaccess.gateway;

import io.neo4jaccess.gateway.bolt.BoltStatus;

/**
 * A request the gateway answers with a FAILURE instead of forwarding it. The message is what the
 * client reads; it may name the lease and its grant, never a secret, query or parameter.
 */
final class Refusal extends RuntimeException {

  private final BoltStatus status;
  private final String rule;

  /**
   * @param rule stable code for audit records, or null for a malformed request
   */
  Refusal(BoltStatus status, String rule, String message) {
    super(message, null, false, false);
    this.status = status;
    this.rule = rule;
  }

  BoltStatus status() {
    return status;
  }

  /** The rule broken, for audit records; null when the request was merely malformed. */
  String rule() {
    return rule;
  }
}
