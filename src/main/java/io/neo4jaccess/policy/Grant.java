package io.neo4jaccess.policy;

import java.time.Duration;
import java.util.List;

/**
 * What a matching rule gives: a user on one target, for one database, with either the listed roles
 * (enforced by the server) or full access (said explicitly where roles cannot be enforced).
 */
public record Grant(String target, String database, List<String> roles, Duration ttl) {

  /** True when the grant carries no roles: the user can do anything the server allows. */
  public boolean fullAccess() {
    return roles.isEmpty();
  }
}
