package io.neo4jaccess.policy;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What a matching rule gives: a user on one target, for one database, with an {@link Access}: the
 * listed roles (enforced by the server), read or write (enforced by the gateway), or full access
 * (said explicitly where nothing narrower is enforced).
 *
 * @param roles the roles of a {@link Access#ROLES} grant; empty for every other
 * @param schema whether a write grant may create and drop indexes and constraints
 * @param remoteCsv whether a read or write grant may {@code LOAD CSV} from {@code http(s)} URLs,
 *     which the database server fetches
 */
public record Grant(
    String target,
    String database,
    Access access,
    List<String> roles,
    boolean schema,
    boolean remoteCsv,
    Duration ttl) {

  public Grant {
    Objects.requireNonNull(access, "access");
    roles = List.copyOf(roles);
  }

  /** The same grant with other roles and lifetime: what a job's narrowing may change. */
  public Grant narrowed(List<String> narrowedRoles, Duration narrowedTtl) {
    return new Grant(target, database, access, narrowedRoles, schema, remoteCsv, narrowedTtl);
  }
}
