package io.neo4jaccess.gateway;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What an active lease allows on a gateway target, as {@link GatewayLeases} answers it. Its {@code
 * toString} shows no secret ({@link UpstreamLogin} hides its password).
 *
 * @param leaseId the lease, named in audit records, errors and every transaction's metadata
 * @param target the gateway target the lease is on
 * @param database the only database its transactions may use
 * @param access READ grants run every transaction in READ mode
 * @param schema whether a WRITE grant may create and drop indexes and constraints
 * @param remoteCsv whether {@code LOAD CSV} may read {@code http(s)} URLs
 * @param upstream the login the gateway uses on the target
 * @param project the job's project (path), for transaction metadata
 * @param pipeline the job's pipeline id
 * @param job the job id
 */
public record GatewayGrant(
    String leaseId,
    String target,
    String database,
    Access access,
    boolean schema,
    boolean remoteCsv,
    UpstreamLogin upstream,
    String project,
    long pipeline,
    long job) {

  public GatewayGrant {
    Objects.requireNonNull(leaseId, "leaseId");
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(database, "database");
    Objects.requireNonNull(access, "access");
    Objects.requireNonNull(upstream, "upstream");
    Objects.requireNonNull(project, "project");
  }

  /**
   * The metadata every transaction of the lease carries, so that Neo4j's query log ties each query
   * to its job: {@code {lease, project, pipeline, job}}.
   */
  public Map<String, Object> txMetadata() {
    Map<String, Object> tags = new LinkedHashMap<>();
    tags.put("lease", leaseId);
    tags.put("project", project);
    tags.put("pipeline", pipeline);
    tags.put("job", job);
    return tags;
  }
}
