package io.neo4jaccess.policy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.neo4jaccess.gitlab.Fact;
import io.neo4jaccess.token.GitLabClaims;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link Evidence} as the state store keeps it, one JSON document per decision:
 *
 * <pre>{@code
 * {"claims": {"instance": "main", "project_path": "demo/app", "project_id": 22, ...},
 *  "gitlab": {"ref_protected": true, "environment_tier": "production"},
 *  "unavailable": {"deployers": "timeout"}}
 * }</pre>
 *
 * <p>Of the claims, those a condition can read and those that name the job; never the token, its
 * {@code jti}, its audience or times, nor the user's e-mail.
 */
public final class EvidenceJson {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<Map<String, Map<String, Object>>> SHAPE =
      new TypeReference<>() {};

  private EvidenceJson() {}

  public static String write(Evidence evidence) {
    Map<String, Object> gitlab = new LinkedHashMap<>();
    Map<String, Object> unavailable = new LinkedHashMap<>();
    evidence
        .facts()
        .forEach(
            (condition, fact) -> {
              if (fact.available()) {
                gitlab.put(condition, fact.value());
              } else {
                unavailable.put(condition, fact.unavailable());
              }
            });
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("claims", claims(evidence.claims()));
    doc.put("gitlab", gitlab);
    doc.put("unavailable", unavailable);
    try {
      return JSON.writeValueAsString(doc);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("evidence not serialisable", e);
    }
  }

  /**
   * Reads a recorded document back.
   *
   * @throws IllegalArgumentException when it is not one this class wrote
   */
  public static Evidence read(String json) {
    Map<String, Map<String, Object>> doc;
    try {
      doc = JSON.readValue(json, SHAPE);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not a recorded evidence document", e);
    }
    Map<String, Object> c = doc == null ? null : doc.get("claims");
    if (c == null) {
      throw new IllegalArgumentException("not a recorded evidence document");
    }
    Map<String, Fact<?>> facts = new LinkedHashMap<>();
    doc.getOrDefault("gitlab", Map.of())
        .forEach((k, v) -> facts.put(k, Fact.of(v, Fact.Source.CACHE)));
    doc.getOrDefault("unavailable", Map.of())
        .forEach((k, v) -> facts.put(k, Fact.unavailable(String.valueOf(v))));
    return new Evidence(claims(c), facts);
  }

  private static Map<String, Object> claims(GitLabClaims c) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("instance", c.instance());
    m.put("namespace_id", c.namespaceId());
    m.put("namespace_path", c.namespacePath());
    m.put("project_id", c.projectId());
    m.put("project_path", c.projectPath());
    m.put("job_project_id", c.jobProjectId());
    m.put("job_project_path", c.jobProjectPath());
    m.put("job_namespace_id", c.jobNamespaceId());
    m.put("job_namespace_path", c.jobNamespacePath());
    m.put("user_id", c.userId());
    m.put("user_login", c.userLogin());
    m.put("user_access_level", c.userAccessLevel());
    m.put("pipeline_id", c.pipelineId());
    m.put("pipeline_source", c.pipelineSource());
    m.put("job_id", c.jobId());
    m.put("ref", c.ref());
    m.put("ref_type", c.refType());
    m.put("ref_path", c.refPath());
    m.put("ref_protected", c.refProtected());
    m.put("environment", c.environment());
    m.put("environment_protected", c.environmentProtected());
    m.put("deployment_tier", c.deploymentTier());
    m.put("environment_action", c.environmentAction());
    m.put("runner_environment", c.runnerEnvironment());
    m.put("sha", c.sha());
    m.put("ci_config_ref_uri", c.ciConfigRefUri());
    m.put("project_visibility", c.projectVisibility());
    m.values().removeIf(v -> v == null);
    return m;
  }

  private static GitLabClaims claims(Map<String, Object> m) {
    return new GitLabClaims(
        str(m, "instance"),
        null,
        null,
        List.of(),
        null,
        null,
        null,
        null,
        id(m, "namespace_id"),
        str(m, "namespace_path"),
        id(m, "project_id"),
        str(m, "project_path"),
        optionalId(m, "job_project_id"),
        str(m, "job_project_path"),
        optionalId(m, "job_namespace_id"),
        str(m, "job_namespace_path"),
        id(m, "user_id"),
        str(m, "user_login"),
        null,
        str(m, "user_access_level"),
        id(m, "pipeline_id"),
        str(m, "pipeline_source"),
        id(m, "job_id"),
        str(m, "ref"),
        str(m, "ref_type"),
        str(m, "ref_path"),
        Boolean.TRUE.equals(m.get("ref_protected")),
        str(m, "environment"),
        m.get("environment_protected") instanceof Boolean b ? b : null,
        str(m, "deployment_tier"),
        str(m, "environment_action"),
        null,
        str(m, "runner_environment"),
        str(m, "sha"),
        str(m, "ci_config_ref_uri"),
        null,
        str(m, "project_visibility"),
        null);
  }

  private static String str(Map<String, Object> m, String k) {
    return m.get(k) instanceof String s ? s : null;
  }

  private static long id(Map<String, Object> m, String k) {
    Long id = optionalId(m, k);
    return id == null ? 0 : id;
  }

  private static Long optionalId(Map<String, Object> m, String k) {
    return m.get(k) instanceof Number n ? n.longValue() : null;
  }
}
