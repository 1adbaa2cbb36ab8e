package io.neo4jaccess.lease;

import io.neo4jaccess.gitlab.CiJob;
import io.neo4jaccess.policy.Access;
import java.time.Instant;
import java.util.List;

/**
 * A job's hold on one Neo4j user, or on a gateway's pooled login: which job, what it was granted,
 * and when. Never holds the password.
 *
 * @param requested the narrowing the job asked for, as the JSON it sent (re-serialised), or null
 *     when it took the grant as it was
 */
public record Lease(
    String id, LeaseState state, CiJob job, Granted granted, Times times, String requested) {

  /** The stored {@code upstream} of a lease on a pooled gateway target. */
  public static final String POOLED = "pooled";

  /**
   * What the lease gives.
   *
   * @param rule the policy rule that granted it
   * @param username the Neo4j user created for the job, or for a pooled lease the name the job logs
   *     in to the gateway with (no such Neo4j user exists)
   * @param roles the roles granted, for an {@link Access#ROLES} grant; empty for every other
   * @param access what the grant lets the job do
   * @param schema whether a write grant may change indexes and constraints
   * @param remoteCsv whether a read or write grant may {@code LOAD CSV} from {@code http(s)} URLs
   * @param enforcement what holds the user to the grant
   * @param passwordSha256 for a lease on a pooled gateway target, the SHA-256 (hex) of the job's
   *     password, which the gateway checks logins against; null for a lease with a user of its own
   */
  public record Granted(
      String rule,
      String target,
      String database,
      String username,
      List<String> roles,
      Access access,
      boolean schema,
      boolean remoteCsv,
      Enforcement enforcement,
      String passwordSha256) {

    /** Whether the job logs in on a pooled upstream login rather than on a user of its own. */
    public boolean pooled() {
      return passwordSha256 != null;
    }

    /**
     * What a seal covers of the upstream: null for a lease with a user of its own, else the mode
     * and the password's hash, so that neither can be swapped in the state store.
     */
    String upstream() {
      return pooled() ? POOLED + ":" + passwordSha256 : null;
    }

    /**
     * What a seal covers of the grant, so that a lease whose database or rights were changed in the
     * state store is not genuine.
     */
    String scope() {
      return database + "|" + access.wire() + "|" + schema + "|" + remoteCsv;
    }
  }

  /**
   * @param revokedAt when the user was gone, or null
   * @param revokeReason what ended the lease ({@code self_revoke}, {@code expired}, ...), or null
   */
  public record Times(
      Instant issuedAt, Instant expiresAt, Instant revokedAt, String revokeReason) {}

  /**
   * A lease about to be written: {@code issuing} until its user exists, or at once {@code active}
   * for a pooled lease, which needs none.
   */
  public static Lease issued(
      String id, CiJob job, Granted granted, Instant now, Instant expires, String requested) {
    LeaseState state = granted.pooled() ? LeaseState.ACTIVE : LeaseState.ISSUING;
    return new Lease(id, state, job, granted, new Times(now, expires, null, null), requested);
  }
}
