package io.neo4jaccess.policy;

import static io.neo4jaccess.policy.PolicyEvaluatorTest.claims;
import static io.neo4jaccess.policy.PolicyEvaluatorTest.with;
import static org.assertj.core.api.Assertions.assertThat;

import io.neo4jaccess.gitlab.Fact;
import io.neo4jaccess.policy.WhatIf.Change;
import io.neo4jaccess.policy.WhatIf.Group;
import io.neo4jaccess.policy.WhatIf.Past;
import io.neo4jaccess.token.GitLabClaims;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A candidate policy against recorded decisions: counts, groups and samples. Pure logic. */
class WhatIfTest {

  static final String IN_FORCE =
      """
        - name: protected
          when: {project_path: "platform/*", ref_protected: true}
          grant: {target: staging, access: full, ttl: 10m}
      """;

  static final String CANDIDATE =
      """
        - name: main-only
          when: {project_path: "platform/*", ref: main, ref_protected: true}
          grant: {target: staging, access: full, ttl: 15m}
        - name: web-pushes
          when: {project_path: "platform/web", pipeline_source: push}
          grant: {target: staging, access: full, ttl: 5m}
      """;

  private static int jobs = 5000;

  /** A decision recorded for a push job of {@code project} on {@code ref}. */
  static Past recorded(String project, String ref, boolean isProtected, String policySha256) {
    long job = ++jobs;
    GitLabClaims c =
        claims(
            with(
                "project_path",
                project,
                "job_project_path",
                project,
                "ref",
                ref,
                "ref_protected",
                String.valueOf(isProtected),
                "job_id",
                String.valueOf(job),
                "environment",
                null));
    String evidence =
        EvidenceJson.write(
            new Evidence(c, Map.of("ref_protected", Fact.of(isProtected, Fact.Source.GITLAB))));
    return new Past(
        Instant.parse("2026-01-01T00:00:00Z").plusSeconds(job), c.job(), policySha256, evidence);
  }

  static Group group(WhatIf.Report r, String project, Change change) {
    return r.groups().stream()
        .filter(g -> g.project().equals(project) && g.difference().change() == change)
        .findFirst()
        .orElseThrow();
  }

  @Test
  void each_change_is_counted_and_grouped_by_project_and_rules() {
    // given decisions the policy in force made: 3 on main, 2 on a release branch, 1 unprotected
    Policy inForce = ReplayTest.policy(IN_FORCE);
    String sha = inForce.version().sha256();
    List<Past> past = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      past.add(recorded("platform/api", "main", true, sha));
    }
    for (int i = 0; i < 2; i++) {
      past.add(recorded("platform/api", "release/1", true, sha));
    }
    past.add(recorded("platform/web", "feature/x", false, sha));

    // when a candidate that allows only main (for longer) and every push of platform/web is tried
    WhatIf.Report r = WhatIf.evaluate(inForce, ReplayTest.policy(CANDIDATE), past);

    // then every decision is in exactly one count, and each group names its rules and grants
    assertThat(r.evaluated()).isEqualTo(6);
    assertThat(r.count(Change.GRANT_CHANGED)).isEqualTo(3);
    assertThat(r.count(Change.ALLOWED_TO_DENIED)).isEqualTo(2);
    assertThat(r.count(Change.DENIED_TO_ALLOWED)).isEqualTo(1);
    assertThat(r.count(Change.UNDETERMINED)).isZero();
    assertThat(r.unchanged()).isZero();
    WhatIf.Difference longer = group(r, "platform/api", Change.GRANT_CHANGED).difference();
    assertThat(longer.ruleBefore()).isEqualTo("protected");
    assertThat(longer.ruleAfter()).isEqualTo("main-only");
    assertThat(longer.grantBefore()).isEqualTo("staging/neo4j full 10m");
    assertThat(longer.grantAfter()).isEqualTo("staging/neo4j full 15m");
    Group denied = group(r, "platform/api", Change.ALLOWED_TO_DENIED);
    assertThat(denied.count()).isEqualTo(2);
    assertThat(denied.difference().ruleAfter()).isNull();
    assertThat(denied.sample()).allSatisfy(s -> assertThat(s.why()).contains("fails on ref"));
    assertThat(group(r, "platform/web", Change.DENIED_TO_ALLOWED).difference().ruleAfter())
        .isEqualTo("web-pushes");
  }

  @Test
  void a_decision_recorded_without_evidence_is_undetermined_not_guessed() {
    Policy inForce = ReplayTest.policy(IN_FORCE);
    Past old = recorded("platform/api", "main", true, null);
    Past withoutEvidence = new Past(old.at(), old.job(), null, null);

    WhatIf.Report r =
        WhatIf.evaluate(inForce, ReplayTest.policy(CANDIDATE), List.of(withoutEvidence));

    assertThat(r.count(Change.UNDETERMINED)).isEqualTo(1);
    assertThat(group(r, "platform/api", Change.UNDETERMINED).difference().missing())
        .isEqualTo("evidence");
    assertThat(r.otherVersions()).isEqualTo(1);
  }

  @Test
  void a_group_shows_at_most_five_jobs_the_newest_first() {
    Policy inForce = ReplayTest.policy(IN_FORCE);
    List<Past> past = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      past.add(0, recorded("platform/api", "release/1", true, inForce.version().sha256()));
    }

    WhatIf.Report r = WhatIf.evaluate(inForce, ReplayTest.policy(CANDIDATE), past);

    Group denied = group(r, "platform/api", Change.ALLOWED_TO_DENIED);
    assertThat(denied.count()).isEqualTo(8);
    assertThat(denied.sample())
        .extracting(WhatIf.Sample::jobId)
        .containsExactly(
            past.get(0).job().id(),
            past.get(1).job().id(),
            past.get(2).job().id(),
            past.get(3).job().id(),
            past.get(4).job().id());
  }

  @Test
  void the_same_policy_changes_nothing() {
    Policy inForce = ReplayTest.policy(IN_FORCE);
    List<Past> past =
        List.of(
            recorded("platform/api", "main", true, inForce.version().sha256()),
            recorded("platform/web", "feature/x", false, inForce.version().sha256()));

    WhatIf.Report r = WhatIf.evaluate(inForce, ReplayTest.policy(IN_FORCE), past);

    assertThat(r.groups()).isEmpty();
    assertThat(r.unchanged()).isEqualTo(2);
    assertThat(WhatIfTable.render(r, "the last 7 days", false))
        .contains("2 decisions of the last 7 days: 0 allowed -> denied")
        .contains("No recorded decision would change.");
  }
}
