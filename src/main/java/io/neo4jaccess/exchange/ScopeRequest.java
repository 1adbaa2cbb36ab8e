package io.neo4jaccess.exchange;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.neo4jaccess.exchange.ExchangeRefused.Reason;
import io.neo4jaccess.policy.Access;
import io.neo4jaccess.policy.Grant;
import io.neo4jaccess.policy.PolicyException;
import io.neo4jaccess.policy.Ttl;
import java.time.Duration;
import java.util.List;

/**
 * What a job asked for in the optional request body. It may only narrow the grant: same target and
 * database, a subset of the roles, a shorter TTL.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ScopeRequest(String target, String database, List<String> roles, String ttl) {

  public static final ScopeRequest NONE = new ScopeRequest(null, null, null, null);

  /** The grant narrowed to this request; refuses anything the grant does not cover. */
  public Grant narrow(Grant grant) {
    if (target != null && !target.equals(grant.target())) {
      throw widening(
          "target '" + target + "' is not granted; the grant is for '" + grant.target() + "'");
    }
    if (database != null && !database.equals(grant.database())) {
      throw widening("database '" + database + "' is not granted");
    }
    List<String> narrowedRoles = grant.roles();
    if (roles != null) {
      if (grant.access() != Access.ROLES) {
        // Narrowing by roles on a server that cannot enforce them would only pretend.
        throw new ExchangeRefused(
            Reason.BAD_SCOPE,
            "Target '" + grant.target() + "' cannot enforce roles; omit 'roles'.");
      }
      if (roles.isEmpty() || !grant.roles().containsAll(roles)) {
        throw widening("roles " + roles + " are not within the granted " + grant.roles());
      }
      narrowedRoles = List.copyOf(roles);
    }
    Duration narrowedTtl = grant.ttl();
    if (ttl != null) {
      try {
        narrowedTtl = Ttl.parse("request", ttl);
      } catch (PolicyException e) {
        throw new ExchangeRefused(Reason.BAD_SCOPE, "'ttl' must look like 90s, 15m or 1h.");
      }
      if (narrowedTtl.compareTo(grant.ttl()) > 0) {
        throw widening("ttl " + ttl + " exceeds the granted " + Ttl.format(grant.ttl()));
      }
    }
    return grant.narrowed(narrowedRoles, narrowedTtl);
  }

  private static ExchangeRefused widening(String why) {
    return new ExchangeRefused(
        Reason.SCOPE_WIDENING, "The request asks for more than granted: " + why + ".");
  }
}
