package io.neo4jaccess.policy;

/** A policy that cannot be used; the message names the rule and field at fault. */
public class PolicyException extends RuntimeException {
  public PolicyException(String message) {
    super(message);
  }
}
