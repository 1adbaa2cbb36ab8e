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
 * TTL within the target's maximum, roles only where the server enforces them and only those it can
 * limit to the granted database, {@code access: read | write} only where the gateway enforces them,
 * and {@code access: full} only where roles are not enforced (a grant never claims a scope that
 * nothing enforces).
 */
final class GrantReader {

  private static final Set<String> GRANT_KEYS =
      Set.of("target", "database", "roles", "access", "schema", "remote_csv", "ttl");

  /** Neo4j's database names: ASCII letters, digits, dots and dashes, a letter first. */
  private static final Pattern DATABASE = Pattern.compile("[A-Za-z][A-Za-z0-9.-]{0,62}");

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
    if (!(db instanceof String database)
        || !DATABASE.matcher(database).matches()
        || database.equalsIgnoreCase("system")) {
      throw new PolicyException(where + " field 'grant.database': must be a database name");
    }
    List<String> roles =
        g.containsKey("roles")
            ? YamlValues.strings(where + " field 'grant.roles'", g.get("roles"))
            : List.of();
    Access access = access(where, g.get("access"), roles, target, limits);
    checkRoles(where, target, database, roles, limits);
    boolean schema = flag(where, g, "schema");
    boolean remoteCsv = flag(where, g, "remote_csv");
    if (schema && access != Access.WRITE) {
      throw new PolicyException(
          where + " field 'grant.schema': only an 'access: write' grant can be given schema");
    }
    if (remoteCsv && access != Access.READ && access != Access.WRITE) {
      throw new PolicyException(
          where
              + " field 'grant.remote_csv': only an 'access: read' or 'access: write' grant can be"
              + " given remote CSV");
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
              + Ttl.format(limits.maxTtl()));
    }
    return new Grant(target, database, access, roles, schema, remoteCsv, ttl);
  }

  /**
   * The grant's access: {@code roles} give {@link Access#ROLES}; otherwise {@code access} names one
   * that the target enforces.
   */
  private static Access access(
      String where, Object value, List<String> roles, String target, TargetLimits limits) {
    if (roles.isEmpty() == (value == null)) {
      throw new PolicyException(
          where + " field 'grant': give either 'roles' or 'access', not both or neither");
    }
    if (value == null) {
      return Access.ROLES;
    }
    Access access = value instanceof String s ? Access.ofWire(s) : null;
    if (access == null || access == Access.ROLES) {
      throw new PolicyException(where + " field 'grant.access': must be one of read, write, full");
    }
    if (access != Access.FULL && !limits.gateway()) {
      throw new PolicyException(
          where
              + " field 'grant.access': target '"
              + target
              + "' has no gateway to enforce '"
              + access.wire()
              + "' (every user there is an administrator); say 'access: full', or enable"
              + " broker.neo4j.targets."
              + target
              + ".gateway");
    }
    return access;
  }

  private static boolean flag(String where, Map<String, Object> g, String key) {
    Object value = g.getOrDefault(key, false);
    if (!(value instanceof Boolean b)) {
      throw new PolicyException(where + " field 'grant." + key + "': must be true or false");
    }
    return b;
  }

  private static void checkRoles(
      String where, String target, String database, List<String> roles, TargetLimits limits) {
    if (roles.isEmpty() && limits.enforcesRoles()) {
      throw new PolicyException(
          where
              + " field 'grant.access': target '"
              + target
              + "' enforces roles, so a grant names them ("
              + String.join(", ", limits.roles().stream().sorted().toList())
              + "); 'access' would claim more than the server gives");
    }
    if (!roles.isEmpty() && !limits.enforcesRoles()) {
      throw new PolicyException(
          where
              + " field 'grant.roles': target '"
              + target
              + "' cannot enforce roles (every user there is an administrator); say 'access: "
              + (limits.gateway() ? "read', 'access: write' or 'access: full'" : "full'"));
    }
    for (String role : roles) {
      if (!limits.roles().contains(role)) {
        throw new PolicyException(
            where
                + " field 'grant.roles': role '"
                + role
                + "' cannot be limited to database '"
                + database
                + "' on target '"
                + target
                + "'; name one of "
                + String.join(", ", limits.roles().stream().sorted().toList()));
      }
    }
  }
}
