package io.neo4jaccess.lease;

import java.time.Instant;
import java.util.List;

/**
 * A job's hold on one Neo4j user: who, what, until when. Never holds the password.
 *
 * @param state one of {@code issuing, active, revoke_requested, revoking, revoked, revoke_failed,
 *     failed} (see {@link LeaseLifecycleStore})
 */
public record Lease(
    String id,
    String state,
    String instance,
    long projectId,
    String projectPath,
    long pipelineId,
    long jobId,
    String ref,
    String sha,
    String userLogin,
    String environment,
    String rule,
    String target,
    String database,
    String username,
    List<String> roles,
    Instant issuedAt,
    Instant expiresAt,
    Instant revokedAt,
    String revokeReason) {

  public boolean fullAccess() {
    return roles.isEmpty();
  }
}
