package io.neo4jaccess.lease;

import static io.neo4jaccess.state.StateStore.instant;
import static io.neo4jaccess.state.StateStore.parameters;
import static io.neo4jaccess.state.StateStore.utc;

import io.neo4jaccess.policy.Access;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.neo4j.driver.Record;
import org.neo4j.driver.Value;

/**
 * A lease as the state graph stores it: the properties of its {@code :Lease} node, written and read
 * back. A pooled lease also has {@code upstream: 'pooled'} and its password's {@code
 * passwordSha256}.
 */
final class LeaseProperties {

  private LeaseProperties() {}

  /** A lease as read with {@code RETURN l, p, pl, j} ({@link JobNodes#read}). */
  static Lease read(Record r) {
    Value l = r.get("l");
    List<String> roles = l.get("roles").asList(Value::asString);
    return new Lease(
        l.get("id").asString(),
        LeaseState.ofWire(l.get("state").asString()),
        JobNodes.read(r),
        new Lease.Granted(
            l.get("rule").asString(),
            l.get("target").asString(),
            l.get("database").asString(),
            l.get("username").asString(),
            roles,
            access(l.get("access").asString(null), roles),
            l.get("schema").asBoolean(false),
            l.get("remoteCsv").asBoolean(false),
            enforcement(l.get("enforcement").asString(null)),
            Lease.POOLED.equals(l.get("upstream").asString(null))
                ? l.get("passwordSha256").asString()
                : null),
        new Lease.Times(
            instant(l.get("issuedAt")),
            instant(l.get("expiresAt")),
            instant(l.get("revokedAt")),
            l.get("revokeReason").asString(null)),
        l.get("requested").asString(null));
  }

  /** Leases written before access was recorded had roles, or full access without them. */
  private static Access access(String stored, List<String> roles) {
    Access access = Access.ofWire(stored);
    if (access != null) {
      return access;
    }
    return roles.isEmpty() ? Access.FULL : Access.ROLES;
  }

  /** Leases written before enforcement was recorded were all without enforcement. */
  private static Enforcement enforcement(String stored) {
    return stored == null ? Enforcement.NONE : Enforcement.valueOf(stored.toUpperCase(Locale.ROOT));
  }

  /** The properties a lease is written with, its seal excepted. */
  static Map<String, Object> of(Lease lease) {
    Map<String, Object> properties =
        parameters(
            "id", lease.id(),
            "state", lease.state().wire(),
            "rule", lease.granted().rule(),
            "target", lease.granted().target(),
            "database", lease.granted().database(),
            "username", lease.granted().username(),
            "roles", lease.granted().roles(),
            "access", lease.granted().access().wire(),
            "schema", lease.granted().schema(),
            "remoteCsv", lease.granted().remoteCsv(),
            "enforcement", lease.granted().enforcement().wire(),
            "requested", lease.requested(),
            "issuedAt", utc(lease.times().issuedAt()),
            "expiresAt", utc(lease.times().expiresAt()));
    if (lease.granted().pooled()) {
      properties.put("upstream", Lease.POOLED);
      properties.put("passwordSha256", lease.granted().passwordSha256());
    }
    return properties;
  }
}
