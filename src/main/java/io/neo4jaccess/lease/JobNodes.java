package io.neo4jaccess.lease;

import static io.neo4jaccess.state.StateStore.parameters;

import io.neo4jaccess.gitlab.CiJob;
import java.util.Map;

/**
 * The job's part of the state graph, {@code (:Project)-[:RAN]->(:Pipeline)-[:HAS]->(:Job)}, shared
 * by the writes that hang something off a job (a lease, a decision). Nodes are keyed by instance
 * and id: GitLab ids are unique only within one instance.
 */
final class JobNodes {

  private JobNodes() {}

  /**
   * Finds or creates {@code row}'s project, pipeline and job, binding {@code p}, {@code pl} and
   * {@code j}. What cannot change is set only on create, and a project's path (renames) only when
   * it differs: a {@code SET} on an existing node takes its write lock even for an unchanged value,
   * and every exchange of a busy project would queue on that one lock until the holder commits.
   */
  static final String MERGE =
      """
      MERGE (p:Project {key: row.projectKey})
        ON CREATE SET p.instance = row.instance, p.id = row.projectId, p.path = row.projectPath,
                      p.namespaceId = row.namespaceId
      FOREACH (_ IN CASE WHEN p.path = row.projectPath THEN [] ELSE [1] END |
        SET p.path = row.projectPath)
      MERGE (pl:Pipeline {key: row.pipelineKey})
        ON CREATE SET pl.id = row.pipelineId, pl.source = row.pipelineSource
      MERGE (p)-[:RAN]->(pl)
      MERGE (j:Job {key: row.jobKey})
        ON CREATE SET j.id = row.jobId, j.ref = row.ref, j.refType = row.refType, j.sha = row.sha,
                      j.user = row.userLogin, j.environment = row.environment,
                      j.environmentTier = row.environmentTier,
                      j.environmentAction = row.environmentAction
      MERGE (pl)-[:HAS]->(j)
      """;

  /** The job as recorded, from a record with {@code p}, {@code pl} and {@code j} returned. */
  static CiJob read(org.neo4j.driver.Record r) {
    var p = r.get("p");
    var pl = r.get("pl");
    var j = r.get("j");
    String environment = j.get("environment").asString(null);
    return new CiJob(
        p.get("instance").asString(),
        new CiJob.Project(
            p.get("id").asLong(), p.get("path").asString(), p.get("namespaceId").asLong(0)),
        new CiJob.Pipeline(pl.get("id").asLong(), pl.get("source").asString(null)),
        j.get("id").asLong(),
        new CiJob.Ref(j.get("ref").asString(null), j.get("refType").asString(null)),
        j.get("sha").asString(null),
        j.get("user").asString(null),
        environment == null
            ? null
            : new CiJob.Environment(
                environment,
                j.get("environmentTier").asString(null),
                j.get("environmentAction").asString(null)));
  }

  /** The parameters {@link #MERGE} reads from {@code row}. */
  static Map<String, Object> row(CiJob job) {
    return parameters(
        "projectKey", job.projectKey(),
        "instance", job.instance(),
        "projectId", job.project().id(),
        "projectPath", job.project().path(),
        "namespaceId", job.project().namespaceId(),
        "pipelineKey", job.instance() + "/" + job.pipeline().id(),
        "pipelineId", job.pipeline().id(),
        "pipelineSource", job.pipeline().source(),
        "jobKey", job.instance() + "/" + job.id(),
        "jobId", job.id(),
        "ref", job.ref().name(),
        "refType", job.ref().type(),
        "sha", job.sha(),
        "userLogin", job.userLogin(),
        "environment", job.environmentName(),
        "environmentTier", job.environment() == null ? null : job.environment().tier(),
        "environmentAction", job.environment() == null ? null : job.environment().action());
  }
}
