package io.neo4jaccess.policy;

import java.time.Duration;

/**
 * What the policy must know of a target to validate grants against it.
 *
 * @param maxTtl the longest lease the target allows
 * @param enforcesRoles whether the server enforces roles (Enterprise) or every user is an admin
 * @param defaultDatabase the database a grant gets when it names none
 */
public record TargetLimits(Duration maxTtl, boolean enforcesRoles, String defaultDatabase) {}
