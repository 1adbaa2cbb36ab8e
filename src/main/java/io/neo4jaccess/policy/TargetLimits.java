package io.neo4jaccess.policy;

import java.time.Duration;
import java.util.Set;

/**
 * What the policy must know of a target to validate grants against it.
 *
 * @param maxTtl the longest lease the target allows
 * @param roles the roles the target can give scoped to the granted database alone (Enterprise);
 *     empty where it enforces none and every user is an administrator (Community)
 * @param defaultDatabase the database a grant gets when it names none
 * @param gateway whether jobs reach the target through the broker's Bolt gateway, which enforces
 *     read and write grants
 */
public record TargetLimits(
    Duration maxTtl, Set<String> roles, String defaultDatabase, boolean gateway) {

  public TargetLimits {
    roles = Set.copyOf(roles);
  }

  /** Whether the server enforces roles, or every user is an administrator there. */
  public boolean enforcesRoles() {
    return !roles.isEmpty();
  }
}
