package io.neo4jaccess.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.neo4jaccess.gitlab.CiJob;
import io.neo4jaccess.lease.GatewayActivity;
import io.neo4jaccess.lease.Lease;
import io.neo4jaccess.policy.Access;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What the access summary shows of a lease — who, what, when, why — for the JSON answer and the
 * page alike. Never a secret. Links to GitLab are built from the instance's configured URL and only
 * from values of the shapes GitLab gives them, so a stored value can never become a link elsewhere.
 *
 * @param gitlab links to the project, pipeline, job and commit, absent where a value is missing
 * @param held the conditions of the granting rule that held, as the decision recorded them
 * @param activity what the lease did through the gateway (nothing for a lease of another target)
 */
record LeaseSummary(
    Lease lease, Links gitlab, List<Held> held, GatewayActivity activity, Instant now) {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern PATH = Pattern.compile("[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*");
  private static final Pattern SHA = Pattern.compile("[0-9a-f]{7,64}");
  private static final DateTimeFormatter READABLE =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

  /** GitLab pages of the job; each may be null. */
  record Links(String project, String pipeline, String job, String commit) {}

  /** One condition that held: as in the decision trace. */
  record Held(String condition, String expected, String actual, String source) {}

  static LeaseSummary of(
      Lease lease, String instanceUrl, String traceJson, GatewayActivity activity, Instant now) {
    return new LeaseSummary(
        lease,
        links(instanceUrl, lease.job()),
        held(traceJson, lease.granted().rule()),
        activity,
        now);
  }

  private static Links links(String instanceUrl, CiJob job) {
    String path = job.project().path();
    if (instanceUrl == null || path == null || !PATH.matcher(path).matches()) {
      return new Links(null, null, null, null);
    }
    String project = instanceUrl.replaceAll("/+$", "") + "/" + path;
    return new Links(
        project,
        project + "/-/pipelines/" + job.pipeline().id(),
        project + "/-/jobs/" + job.id(),
        job.sha() != null && SHA.matcher(job.sha()).matches()
            ? project + "/-/commit/" + job.sha()
            : null);
  }

  /** The held conditions of the rule that matched, from the recorded trace. */
  private static List<Held> held(String traceJson, String rule) {
    List<Held> held = new ArrayList<>();
    if (traceJson == null) {
      return held;
    }
    try {
      for (JsonNode r : JSON.readTree(traceJson)) {
        if (!rule.equals(r.path("rule").asText()) || !r.path("matched").asBoolean()) {
          continue;
        }
        for (JsonNode c : r.path("conditions")) {
          if ("HELD".equals(c.path("result").asText())) {
            held.add(
                new Held(
                    c.path("condition").asText(),
                    shown(c.path("expected")),
                    shown(c.path("actual")),
                    c.path("source").asText(null)));
          }
        }
      }
    } catch (IOException e) {
      // A trace that does not parse shows no conditions; the rest of the summary stands.
    }
    return held;
  }

  private static String shown(JsonNode v) {
    return v.isTextual() ? v.asText() : v.toString();
  }

  /** {@code 2026-11-30 08:45:12 UTC}, or null. */
  static String readable(Instant at) {
    return at == null ? null : READABLE.format(at);
  }

  /** {@code in 9 min} or {@code 3 min ago}, relative to when the summary was made. */
  String relative(Instant at) {
    Duration d = Duration.between(now, at);
    Duration abs = d.abs();
    String amount =
        abs.toDays() > 0
            ? abs.toDays() + " d"
            : abs.toHours() > 0
                ? abs.toHours() + " h " + abs.toMinutesPart() + " min"
                : abs.toMinutes() > 0 ? abs.toMinutes() + " min" : abs.toSeconds() + " s";
    return d.isNegative() ? amount + " ago" : "in " + amount;
  }

  /** The access as people read it: {@code read access}, {@code full access}, or the roles. */
  String access() {
    return described(lease.granted());
  }

  /**
   * A grant's access as people read it, e.g. {@code write access with schema changes}, or {@code
   * roles reader, editor}.
   */
  static String described(Lease.Granted granted) {
    if (granted.access() == Access.ROLES) {
      return "roles " + String.join(", ", granted.roles());
    }
    List<String> extras = new ArrayList<>();
    if (granted.schema()) {
      extras.add("schema changes");
    }
    if (granted.remoteCsv()) {
      extras.add("remote CSV");
    }
    return granted.access().wire()
        + " access"
        + (extras.isEmpty() ? "" : " with " + String.join(" and ", extras));
  }

  /** The granted lifetime, as the policy writes TTLs. */
  String ttl() {
    return io.neo4jaccess.policy.Ttl.format(
        Duration.between(lease.times().issuedAt(), lease.times().expiresAt()));
  }
}
