package io.neo4jaccess.api;

import io.neo4jaccess.lease.Enforcement;
import io.neo4jaccess.lease.GatewayActivity;
import io.neo4jaccess.lease.Lease;
import io.neo4jaccess.lease.PooledLogins;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The access summary as a page for people: the job annotation links here. Every value is escaped;
 * the page loads nothing from elsewhere, and its one script (which only shows times in the reader's
 * own time zone) is allowed by its hash (see the CSP header set with it).
 */
final class LeaseSummaryPage {

  /** Rewrites each {@code <time>} into the browser's local time; the page reads fine without it. */
  private static final String LOCAL_TIMES =
      "for(const t of document.querySelectorAll('time[datetime]')){const d=new Date(t.dateTime);"
          + "if(!isNaN(d)){t.title=t.textContent;t.textContent=d.toLocaleString(undefined,"
          + "{dateStyle:'medium',timeStyle:'medium',timeZoneName:'short'});}}";

  /** No external resources, no framing, no script but the one above. */
  static final String CONTENT_SECURITY_POLICY =
      "default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-"
          + sha256(LOCAL_TIMES)
          + "'; frame-ancestors 'none'";

  private static final String STYLE =
      """
      body{font:15px/1.5 system-ui,sans-serif;margin:2rem auto;max-width:52rem;color:#1b1b1b}
      h1{font-size:1.3rem} h2{font-size:1.05rem;margin-top:1.6rem}
      table{border-collapse:collapse;width:100%}
      th{text-align:left;width:12rem;color:#555;font-weight:600}
      th,td{padding:.35rem .5rem;border-bottom:1px solid #e4e4e4;vertical-align:top}
      .state{display:inline-block;padding:.1rem .5rem;border-radius:.3rem;background:#eef}
      .muted{color:#666} code{font-size:.92em}
      """;

  private LeaseSummaryPage() {}

  static String render(LeaseSummary s) {
    Lease lease = s.lease();
    LeaseSummary.Links links = s.gitlab();
    Map<String, String> rows = new LinkedHashMap<>();
    String reason = lease.times().revokeReason();
    rows.put("State", text(lease.state().wire() + (reason == null ? "" : " (" + reason + ")")));
    rows.put(
        "Project",
        link(
            links.project(),
            lease.job().project().path() + " (id " + lease.job().project().id() + ")"));
    rows.put("Pipeline", link(links.pipeline(), "#" + lease.job().pipeline().id()));
    rows.put("Job", link(links.job(), "#" + lease.job().id()));
    rows.put("Ref", text(lease.job().ref().name()));
    rows.put("Commit", link(links.commit(), lease.job().sha()));
    rows.put("Started by", text(lease.job().userLogin()));
    rows.put("Environment", text(lease.job().environmentName()));
    rows.put("GitLab instance", text(lease.job().instance()));
    rows.put("Rule", text(lease.granted().rule()));
    rows.put(
        "Granted",
        text(
            lease.granted().target()
                + ", database "
                + lease.granted().database()
                + ", "
                + s.access()
                + ", for "
                + s.ttl()));
    rows.put(
        "Requested",
        lease.requested() == null
            ? "<span class=\"muted\">the grant as the policy gives it</span>"
            : "<code>" + escape(lease.requested()) + "</code>");
    rows.put("Enforcement", text(lease.granted().enforcement().wire()));
    if (lease.granted().pooled()) {
      // The job's name exists only at the gateway; Neo4j sees the pooled login, shared by the
      // target's leases of the same access, and each query's lease in its transaction metadata.
      rows.put("Gateway login", text(lease.granted().username()));
      rows.put(
          "Neo4j login",
          text(PooledLogins.name(lease.granted().access()))
              + " <span class=\"muted\">(pooled: shared by this target's leases of the same"
              + " access; each query carries this lease in its metadata)</span>");
    } else {
      rows.put("Neo4j user", text(lease.granted().username()));
    }
    rows.put("Issued", time(s, lease.times().issuedAt()));
    rows.put("Expires", time(s, lease.times().expiresAt()));
    rows.put(
        "Revoked",
        lease.times().revokedAt() == null ? text("not yet") : time(s, lease.times().revokedAt()));
    StringBuilder table = new StringBuilder();
    rows.forEach(
        (k, v) ->
            table
                .append("<tr><th>")
                .append(escape(k))
                .append("</th><td>")
                .append(v)
                .append("</td></tr>\n"));
    StringBuilder held = new StringBuilder();
    for (LeaseSummary.Held h : s.held()) {
      held.append("<tr><th><code>")
          .append(escape(h.condition()))
          .append("</code></th><td>expected ")
          .append(escape(h.expected()))
          .append(", was ")
          .append(escape(h.actual()))
          .append(
              h.source() == null
                  ? ""
                  : " <span class=\"muted\">(" + escape(h.source()) + ")</span>")
          .append("</td></tr>\n");
    }
    return """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>neo4j-access lease %s</title>
        <style>%s</style></head>
        <body>
        <h1>Neo4j access for job %s <span class="state" id="state">%s</span></h1>
        <table id="lease">
        %s</table>
        %s<h2>Why: the conditions of rule %s that held</h2>
        <table id="conditions">
        %s</table>
        <p>Granted by neo4j-access. This page never shows a password.</p>
        <script>%s</script>
        </body></html>
        """
        .formatted(
            escape(lease.id()),
            STYLE,
            escape(String.valueOf(lease.job().id())),
            escape(lease.state().wire()),
            table,
            lease.granted().enforcement() == Enforcement.GATEWAY ? gateway(s) : "",
            escape(lease.granted().rule()),
            held.isEmpty() ? "<tr><td class=\"muted\">not recorded</td></tr>\n" : held,
            LOCAL_TIMES);
  }

  /**
   * What the lease did through the gateway: counts, and each kind of refusal by rule and the
   * SHA-256 of the query (the page never shows a query).
   */
  private static String gateway(LeaseSummary s) {
    GatewayActivity a = s.activity();
    StringBuilder out = new StringBuilder("<h2>Through the gateway</h2>\n<table id=\"gateway\">\n");
    out.append(row("Connections", Long.toString(a.connections())))
        .append(row("Transactions", Long.toString(a.transactions())))
        .append(row("Queries run", Long.toString(a.queries())))
        .append(row("Refused", Long.toString(a.refused())))
        .append("</table>\n");
    if (!a.refusals().isEmpty()) {
      out.append("<table id=\"refusals\">\n<tr><th>Rule</th><th>Query (SHA-256)</th>")
          .append("<th>Times</th><th>Last</th></tr>\n");
      for (GatewayActivity.Refused r : a.refusals()) {
        out.append("<tr><td><code>")
            .append(escape(r.rule()))
            .append("</code></td><td><code>")
            .append(r.queryHash().isEmpty() ? "—" : escape(r.queryHash().substring(0, 16)) + "…")
            .append("</code></td><td>")
            .append(r.count())
            .append("</td><td>")
            .append(r.lastAt() == null ? "—" : time(s, r.lastAt()))
            .append("</td></tr>\n");
      }
      out.append("</table>\n");
    }
    return out.toString();
  }

  private static String row(String name, String value) {
    return "<tr><th>" + escape(name) + "</th><td>" + escape(value) + "</td></tr>\n";
  }

  /** The page for a lease id the broker does not know (a mistyped or pruned link). */
  static String notFound() {
    return """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8">
        <title>neo4j-access: no such lease</title>
        <style>%s</style></head>
        <body>
        <h1>No such lease</h1>
        <p>The broker has no lease with this id. The link may be mistyped, or the lease's record
        may have been removed after its retention.</p>
        </body></html>
        """
        .formatted(STYLE);
  }

  private static String time(LeaseSummary s, Instant at) {
    return "<time datetime=\""
        + at
        + "\">"
        + escape(LeaseSummary.readable(at))
        + "</time> <span class=\"muted\">("
        + escape(s.relative(at))
        + ")</span>";
  }

  private static String text(String v) {
    return v == null ? "—" : escape(v);
  }

  private static String link(String url, String label) {
    if (label == null) {
      return "—";
    }
    return url == null
        ? escape(label)
        : "<a href=\"" + escape(url) + "\" rel=\"noopener noreferrer\">" + escape(label) + "</a>";
  }

  static String escape(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  private static String sha256(String script) {
    try {
      return Base64.getEncoder()
          .encodeToString(
              MessageDigest.getInstance("SHA-256").digest(script.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
