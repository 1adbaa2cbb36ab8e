package io.neo4jaccess.api;

import io.neo4jaccess.lease.Lease;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The access summary as a page for people: the job annotation links here. Every value is escaped;
 * the page loads nothing from elsewhere and runs no script (see the CSP header set with it).
 */
final class LeaseSummaryPage {

  /** No scripts, no external resources, no framing: the page only shows text. */
  static final String CONTENT_SECURITY_POLICY =
      "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'";

  private LeaseSummaryPage() {}

  static String render(Lease lease) {
    Map<String, String> rows = new LinkedHashMap<>();
    rows.put(
        "State",
        lease.state().wire()
            + (lease.times().revokeReason() == null
                ? ""
                : " (" + lease.times().revokeReason() + ")"));
    rows.put("Project", lease.job().project().path() + " (id " + lease.job().project().id() + ")");
    rows.put("Pipeline", String.valueOf(lease.job().pipeline().id()));
    rows.put("Job", String.valueOf(lease.job().id()));
    rows.put("Ref", lease.job().ref().name());
    rows.put("Commit", lease.job().sha());
    rows.put("Started by", lease.job().userLogin());
    rows.put("Environment", lease.job().environmentName());
    rows.put("Rule", lease.granted().rule());
    rows.put("Target", lease.granted().target() + ", database " + lease.granted().database());
    rows.put(
        "Access",
        lease.granted().fullAccess()
            ? "full access"
            : "roles: " + String.join(", ", lease.granted().roles()));
    rows.put("Neo4j user", lease.granted().username());
    rows.put("Issued", String.valueOf(lease.times().issuedAt()));
    rows.put("Expires", String.valueOf(lease.times().expiresAt()));
    rows.put(
        "Revoked",
        lease.times().revokedAt() == null ? "not yet" : lease.times().revokedAt().toString());
    StringBuilder table = new StringBuilder();
    rows.forEach(
        (k, v) ->
            table
                .append("<tr><th>")
                .append(escape(k))
                .append("</th><td>")
                .append(escape(v == null ? "—" : v))
                .append("</td></tr>\n"));
    return """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>neo4j-access lease %s</title>
        <style>
        body{font:15px/1.5 system-ui,sans-serif;margin:2rem auto;max-width:46rem;color:#1b1b1b}
        h1{font-size:1.3rem} table{border-collapse:collapse;width:100%%}
        th{text-align:left;width:11rem;color:#555;font-weight:600}
        th,td{padding:.35rem .5rem;border-bottom:1px solid #e4e4e4;vertical-align:top}
        .state{display:inline-block;padding:.1rem .5rem;border-radius:.3rem;background:#eef}
        </style></head>
        <body>
        <h1>Neo4j access for job %s <span class="state" id="state">%s</span></h1>
        <table id="lease">
        %s</table>
        <p>Granted by neo4j-access. This page never shows a password.</p>
        </body></html>
        """
        .formatted(
            escape(lease.id()),
            escape(String.valueOf(lease.job().id())),
            escape(lease.state().wire()),
            table);
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
}
