package io.neo4jaccess.api;

import io.neo4jaccess.policy.PolicyVersion;
import io.neo4jaccess.policy.WhatIf;
import io.neo4jaccess.policy.WhatIf.Change;
import io.neo4jaccess.policy.WhatIfTable;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The what-if answer as JSON. The counts come first, under names no other member uses, so that the
 * component's client (no jq) finds them by name; {@code headline} and {@code table} are the same
 * answer for people.
 */
final class WhatIfView {

  private WhatIfView() {}

  static Map<String, Object> json(
      WhatIf.Report r, Instant from, Instant to, String window, boolean truncated) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("newly_denied", r.count(Change.ALLOWED_TO_DENIED));
    m.put("newly_allowed", r.count(Change.DENIED_TO_ALLOWED));
    m.put("grants_changed", r.count(Change.GRANT_CHANGED));
    m.put("undetermined", r.count(Change.UNDETERMINED));
    m.put("unchanged", r.unchanged());
    m.put("evaluated", r.evaluated());
    m.put("truncated", truncated);
    m.put("window", Map.of("from", from.toString(), "to", to.toString()));
    m.put("policy_in_force", version(r.baseline()));
    m.put("candidate", version(r.candidate()));
    m.put("decided_by_other_versions", r.otherVersions());
    m.put("groups", r.groups().stream().map(WhatIfView::group).toList());
    m.put("groups_truncated", r.groupsTruncated());
    m.put("headline", WhatIfTable.headline(r));
    m.put("table", WhatIfTable.render(r, window, truncated));
    return m;
  }

  private static Map<String, Object> version(PolicyVersion v) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("sha256", v.sha256());
    m.put("version", v.declared());
    return m;
  }

  private static Map<String, Object> group(WhatIf.Group g) {
    Map<String, Object> m = new LinkedHashMap<>();
    WhatIf.Difference d = g.difference();
    m.put("instance", g.instance());
    m.put("project", g.project());
    m.put("change", d.change().wire());
    m.put("rule_before", d.ruleBefore());
    m.put("rule_after", d.ruleAfter());
    m.put("grant_before", d.grantBefore());
    m.put("grant_after", d.grantAfter());
    m.put("not_recorded", d.missing());
    m.put("jobs", g.count());
    m.put("sample", samples(g.sample()));
    return m;
  }

  private static List<Map<String, Object>> samples(List<WhatIf.Sample> sample) {
    return sample.stream()
        .map(
            s -> {
              Map<String, Object> m = new LinkedHashMap<>();
              m.put("job_id", s.jobId());
              m.put("pipeline_id", s.pipelineId());
              m.put("ref", s.ref());
              m.put("environment", s.environment());
              m.put("at", s.at().toString());
              m.put("why", s.why());
              return m;
            })
        .toList();
  }
}
