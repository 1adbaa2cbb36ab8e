package io.neo4jaccess.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.neo4jaccess.exchange.Issued;
import io.neo4jaccess.lease.GatewayActivity;
import io.neo4jaccess.lease.Lease;
import io.neo4jaccess.policy.Grant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** How issued credentials and leases are shown: JSON, dotenv lines, job annotations. */
final class IssuedView {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final DateTimeFormatter LABEL_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

  private IssuedView() {}

  static Map<String, Object> json(Issued issued, String summaryUrl) {
    Lease lease = issued.lease();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("lease_id", lease.id());
    m.put("target", lease.granted().target());
    m.put("uri", issued.clientUri());
    m.put("database", lease.granted().database());
    m.put("username", lease.granted().username());
    m.put("password", issued.password());
    m.put("roles", lease.granted().roles());
    m.put("enforcement", lease.granted().enforcement().wire());
    m.put("expires_at", lease.times().expiresAt().toString());
    m.put("rule", lease.granted().rule());
    m.put("summary_url", summaryUrl);
    m.put("annotations", annotations(lease, summaryUrl));
    return m;
  }

  /**
   * Dotenv lines a job can {@code .} in POSIX sh: every value single-quoted, a quote inside written
   * as {@code '\''}, so nothing in a value is ever expanded or executed.
   */
  static String dotenv(Issued issued, String summaryUrl) {
    Lease lease = issued.lease();
    Map<String, String> vars = new LinkedHashMap<>();
    vars.put("NEO4J_URI", issued.clientUri());
    vars.put("NEO4J_DATABASE", lease.granted().database());
    vars.put("NEO4J_USERNAME", lease.granted().username());
    vars.put("NEO4J_PASSWORD", issued.password());
    vars.put("NEO4J_ACCESS_LEASE_ID", lease.id());
    vars.put("NEO4J_ACCESS_EXPIRES_AT", lease.times().expiresAt().toString());
    vars.put("NEO4J_ACCESS_SUMMARY_URL", summaryUrl);
    try {
      vars.put("NEO4J_ACCESS_ANNOTATIONS", JSON.writeValueAsString(annotations(lease, summaryUrl)));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    StringBuilder out = new StringBuilder();
    vars.forEach(
        (k, v) -> out.append(k).append("='").append(v.replace("'", "'\\''")).append("'\n"));
    return out.toString();
  }

  /**
   * GitLab job annotations (GitLab 16.3+, https://docs.gitlab.com/ci/yaml/artifacts_reports/): one
   * section, one external link to the summary.
   */
  static Map<String, Object> annotations(Lease lease, String summaryUrl) {
    String label =
        "Neo4j "
            + lease.granted().target()
            + ": "
            + LeaseSummary.described(lease.granted())
            + " until "
            + LABEL_TIME.format(lease.times().expiresAt())
            + " (rule "
            + lease.granted().rule()
            + ")";
    return Map.of(
        "neo4j-access",
        List.of(Map.of("external_link", Map.of("label", label, "url", summaryUrl))));
  }

  static Map<String, Object> grant(Grant grant) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("target", grant.target());
    m.put("database", grant.database());
    m.put("roles", grant.roles());
    m.put("access", grant.access().wire());
    m.put("schema", grant.schema());
    m.put("remote_csv", grant.remoteCsv());
    m.put("ttl_seconds", grant.ttl().toSeconds());
    return m;
  }

  /** The access summary: who, what, when, why — never a secret. */
  static Map<String, Object> summary(LeaseSummary summary) {
    Lease lease = summary.lease();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("lease_id", lease.id());
    m.put("state", lease.state().wire());
    m.put("gitlab_instance", lease.job().instance());
    m.put("project_id", lease.job().project().id());
    m.put("project_path", lease.job().project().path());
    m.put("pipeline_id", lease.job().pipeline().id());
    m.put("job_id", lease.job().id());
    m.put("ref", lease.job().ref().name());
    m.put("sha", lease.job().sha());
    m.put("user_login", lease.job().userLogin());
    m.put("environment", lease.job().environmentName());
    m.put("rule", lease.granted().rule());
    m.put("target", lease.granted().target());
    m.put("database", lease.granted().database());
    m.put("username", lease.granted().username());
    m.put("roles", lease.granted().roles());
    m.put("access", lease.granted().access().wire());
    m.put("schema", lease.granted().schema());
    m.put("remote_csv", lease.granted().remoteCsv());
    m.put("enforcement", lease.granted().enforcement().wire());
    m.put("requested", requested(lease.requested()));
    m.put("issued_at", String.valueOf(lease.times().issuedAt()));
    m.put("expires_at", String.valueOf(lease.times().expiresAt()));
    m.put(
        "revoked_at",
        lease.times().revokedAt() == null ? null : lease.times().revokedAt().toString());
    m.put("revoke_reason", lease.times().revokeReason());
    LeaseSummary.Links links = summary.gitlab();
    Map<String, Object> gitlab = new LinkedHashMap<>();
    gitlab.put("project", links.project());
    gitlab.put("pipeline", links.pipeline());
    gitlab.put("job", links.job());
    gitlab.put("commit", links.commit());
    m.put("gitlab_links", gitlab);
    m.put("gateway", activity(summary.activity()));
    m.put(
        "conditions_held",
        summary.held().stream()
            .map(
                h -> {
                  Map<String, Object> c = new LinkedHashMap<>();
                  c.put("condition", h.condition());
                  c.put("expected", h.expected());
                  c.put("actual", h.actual());
                  c.put("source", h.source());
                  return c;
                })
            .toList());
    return m;
  }

  /** What the lease did through the gateway; refusals name their rule and query hash only. */
  private static Map<String, Object> activity(GatewayActivity activity) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("connections", activity.connections());
    m.put("transactions", activity.transactions());
    m.put("queries_run", activity.queries());
    m.put("refused", activity.refused());
    m.put(
        "refusals",
        activity.refusals().stream()
            .map(
                r -> {
                  Map<String, Object> x = new LinkedHashMap<>();
                  x.put("rule", r.rule());
                  x.put("query_sha256", r.queryHash().isEmpty() ? null : r.queryHash());
                  x.put("count", r.count());
                  x.put("last_at", String.valueOf(r.lastAt()));
                  return x;
                })
            .toList());
    return m;
  }

  /** The narrowing the job sent, as a JSON object, or null. */
  private static Object requested(String json) {
    if (json == null) {
      return null;
    }
    try {
      return JSON.readValue(json, Map.class);
    } catch (JsonProcessingException e) {
      return null;
    }
  }
}
