package io.neo4jaccess.policy;

import static io.neo4jaccess.policy.PolicyEvaluatorTest.claims;
import static io.neo4jaccess.policy.PolicyEvaluatorTest.with;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@code fork: false} holds only where the broker knows the job runs none of a fork's code: from
 * GitLab's {@code job_project_*} claims (18.4+), or without them for pipeline sources that can
 * never run a fork's code.
 */
class ForkConditionTest {

  static final Policy POLICY =
      new PolicyLoader(t -> Optional.ofNullable(PolicyEvaluatorTest.TARGETS.get(t)), Set.of("main"))
          .parse(
              """
              rules:
                - name: own-code-only
                  when:
                    namespace_path: platform
                    pipeline_source: [push, parent_pipeline, merge_request_event]
                    fork: false
                  grant: {target: staging, access: full}
              """);

  static final Map<String, Object> BEFORE_18_4 = with(PolicyEvaluatorTest.BEFORE_18_4);

  static Decision decide(Map<String, Object> overrides) {
    return PolicyEvaluator.evaluate(POLICY, claims(overrides), FixedFacts.protectedEverything());
  }

  static Map<String, Object> withSource(Map<String, Object> claims, String source) {
    Map<String, Object> c = new java.util.HashMap<>(claims);
    c.put("pipeline_source", source);
    return c;
  }

  @Test
  void a_child_pipeline_without_job_project_claims_may_run_a_fork_so_fork_false_fails() {
    // A merge request pipeline of a fork may trigger a child pipeline, which runs the fork's code.
    Decision d = decide(withSource(BEFORE_18_4, "parent_pipeline"));

    assertThat(d.allowed()).isFalse();
    assertThat(d.trace().get(0).conditions())
        .filteredOn(c -> c.condition().equals("fork"))
        .singleElement()
        .satisfies(c -> assertThat(c.result()).isEqualTo(Decision.Result.FAILED));
  }

  @Test
  void a_child_pipeline_whose_job_project_claims_name_the_project_runs_no_fork() {
    assertThat(decide(withSource(with(), "parent_pipeline")).allowed()).isTrue();
  }

  @Test
  void a_push_pipeline_without_job_project_claims_never_runs_a_fork() {
    assertThat(decide(withSource(BEFORE_18_4, "push")).allowed()).isTrue();
  }
}
