package io.neo4jaccess.policy;

import static io.neo4jaccess.policy.PolicyEvaluatorTest.claims;
import static io.neo4jaccess.policy.PolicyEvaluatorTest.policy;
import static io.neo4jaccess.policy.PolicyEvaluatorTest.with;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What a denied or explained job is told. With traces on: the closest rule, the failed condition
 * with both values, and what to change. With traces off (public instances, whose merge-request logs
 * anyone can read): the outcome and the failed condition's name only.
 */
class DisclosureTest {

  static final Disclosure TRACES_ON = new Disclosure(true);
  static final Disclosure TRACES_OFF = new Disclosure(false);

  /**
   * A deploy job from an unprotected feature branch: every rule of the test policy fails, the
   * closest on {@code ref_protected}.
   */
  static Decision unprotectedBranch() {
    FixedFacts refUnprotected =
        new FixedFacts(FixedFacts.gitlab(false), FixedFacts.gitlab(true), FixedFacts.gitlab(40));
    return PolicyEvaluator.evaluate(
        policy(), claims(with("ref", "feature/x", "ref_protected", "false")), refUnprotected);
  }

  /** A fork's merge request pipeline run in the parent project (GitLab 18.4+ claims). */
  static Decision forkMergeRequest() {
    return PolicyEvaluator.evaluate(
        policy(),
        claims(PolicyEvaluatorTest.mergeRequest(PolicyEvaluatorTest.FORK_OF_PLATFORM_API)),
        FixedFacts.protectedEverything());
  }

  static String json(Object o) throws Exception {
    return new ObjectMapper().writeValueAsString(o);
  }

  @Test
  void with_traces_off_a_denial_names_only_the_failed_condition() throws Exception {
    // when
    Decision d = unprotectedBranch();
    String shown = TRACES_OFF.summary(d) + json(TRACES_OFF.denial(d));

    // then
    assertThat(TRACES_OFF.denial(d)).containsOnlyKeys("failed_condition");
    assertThat(shown)
        .contains("'ref_protected'")
        .doesNotContain("release/*", "platform", "feature/x", "push", "true", "false")
        .doesNotContain("production", "release-branches-read", "merge-requests")
        .doesNotContain("closest", "expected", "got");
  }

  @Test
  void with_traces_off_explain_answers_only_denied_and_the_failed_condition() throws Exception {
    Map<String, Object> answer = TRACES_OFF.explain(unprotectedBranch());

    assertThat(answer)
        .containsOnlyKeys("allowed", "summary", "failed_condition", "gitlab_unavailable")
        .containsEntry("allowed", false);
    assertThat(json(answer))
        .doesNotContain("release/*", "platform", "feature/x", "production", "true");
  }

  @Test
  void with_traces_off_an_allowed_explain_names_no_rule_and_no_trace() {
    Decision d =
        PolicyEvaluator.evaluate(policy(), claims(with()), FixedFacts.protectedEverything());

    assertThat(TRACES_OFF.explain(d)).containsOnlyKeys("allowed").containsEntry("allowed", true);
  }

  @Test
  void with_traces_on_a_denial_names_the_closest_rule_both_values_and_what_to_change() {
    Decision d = unprotectedBranch();

    assertThat(TRACES_ON.summary(d))
        .contains("closest rule 'production-deploys'")
        .contains("'ref_protected'")
        .contains("token=false, gitlab=false")
        .contains("protect the branch 'feature/x'");
    assertThat(TRACES_ON.denial(d)).containsKeys("closest_rule", "failed_condition", "trace");
  }

  @Test
  void a_fork_is_named_as_a_fork_with_both_paths_and_told_to_run_from_the_project() {
    String summary = TRACES_ON.summary(forkMergeRequest());

    assertThat(summary)
        .contains("fork mallory/api, running in platform/api")
        .contains("run the pipeline from a branch of platform/api itself, not from the fork");
  }

  @Test
  void a_missing_environment_is_told_which_one_to_add() {
    Decision d =
        PolicyEvaluator.evaluate(
            new PolicyLoader(
                    t -> java.util.Optional.ofNullable(PolicyEvaluatorTest.TARGETS.get(t)),
                    java.util.Set.of("main"))
                .parse(
                    """
                    rules:
                      - name: deploys
                        when: {project_path: "platform/*", environment: production}
                        grant: {target: staging, access: full}
                    """),
            claims(with("environment", null)),
            FixedFacts.protectedEverything());

    assertThat(TRACES_ON.summary(d)).contains("add 'environment: production' to the job");
  }

  @Test
  void a_job_that_does_not_deploy_is_told_that_only_a_deploying_job_counts() {
    Decision d =
        PolicyEvaluator.evaluate(
            policy(),
            claims(with("environment_action", "prepare")),
            FixedFacts.protectedEverything());

    assertThat(TRACES_ON.summary(d)).contains("only a job that deploys");
  }
}
