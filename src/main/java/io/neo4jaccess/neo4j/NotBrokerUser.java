package io.neo4jaccess.neo4j;

/**
 * A user the broker refused to cut off because its name lacks the target's prefix: the broker
 * creates only prefixed users, so it did not create this one. Final, never retried: asking again
 * cannot change the name.
 */
public final class NotBrokerUser extends RuntimeException {
  public NotBrokerUser(String target) {
    super("user lacks the prefix of target " + target, null, false, false);
  }
}
