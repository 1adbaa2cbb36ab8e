package io.neo4jaccess.policy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Reads a rule's {@code grant} and checks it against what its target can enforce: a known target, a
 * TTL within the target's maximum, roles only where the server enforces them.
 */
final class GrantReader {

  private static final Set<String> GRANT_KEYS =
      Set.of("target", "database", "roles", "access", "ttl");
  private static final Pattern ROLE = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,63}");

  private final Function<String, Optional<TargetLimits>> targets;

  GrantReader(Function<String, Optional<TargetLimits>> targets) {
    this.targets = targets;
  }

  Grant read(String where, Object node) {
    Map<String, Object> g = YamlValues.map(node, where + " field 'grant'");
    YamlValues.unknownKeys(g, GRANT_KEYS, where + " field 'grant'");
    if (!(g.get("target") instanceof String target)) {
      throw new PolicyException(where + " field 'grant.target': must name a target");
    }
    TargetLimits limits =
        targets
            .apply(target)
            .orElseThrow(
                () ->
                    new PolicyException(
                        where + " field 'grant.target': unknown target '" + target + "'"));
    Object db = g.getOrDefault("database", limits.defaultDatabase());
    if (!(db instanceof String database) || database.isBlank()) {
      throw new PolicyException(where + " field 'grant.database': must be a database name");
    }
    List<String> roles =
        g.containsKey("roles")
            ? YamlValues.strings(where + " field 'grant.roles'", g.get("roles"))
            : List.of();
    for (String role : roles) {
      if (!ROLE.matcher(role).matches()) {
        throw new PolicyException(
            where + " field 'grant.roles': '" + role + "' is not a role name");
      }
    }
    Object access = g.get("access");
    if (access != null && !"full".equals(access)) {
      throw new PolicyException(where + " field 'grant.access': the only value is 'full'");
    }
    if (roles.isEmpty() == (access == null)) {
      throw new PolicyException(
          where + " field 'grant': give either 'roles' or 'access: full', not both or neither");
    }
    if (!roles.isEmpty() && !limits.enforcesRoles()) {
      throw new PolicyException(
          where
              + " field 'grant.roles': target '"
              + target
              + "' cannot enforce roles (every user there is an administrator); say 'access: full'");
    }
    Duration ttl = g.containsKey("ttl") ? Ttl.parse(where, g.get("ttl")) : limits.maxTtl();
    if (ttl.compareTo(limits.maxTtl()) > 0) {
      throw new PolicyException(
          where
              + " field 'grant.ttl': "
              + g.get("ttl")
              + " exceeds target '"
              + target
              + "' maximum of "
              + limits.maxTtl().toSeconds()
              + "s");
    }
    return new Grant(target, database, List.copyOf(roles), ttl);
  }
}
