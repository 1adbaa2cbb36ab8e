package io.neo4jaccess.policy;

import static io.neo4jaccess.policy.PolicyEvaluatorTest.claims;
import static io.neo4jaccess.policy.PolicyEvaluatorTest.with;
import static org.assertj.core.api.Assertions.assertThat;

import io.neo4jaccess.policy.Decision.ConditionTrace;
import io.neo4jaccess.policy.Decision.Result;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code environment_protected}, {@code deployers} and {@code required_approvals} describe what
 * GitLab requires of a deployment. Since GitLab 18.0 only a deploying job (environment action
 * {@code start}, the default) is held for a protected environment's approvals, so these conditions
 * hold only for such a job.
 */
class DeploymentConditionsTest {

  static final String[] CONDITIONS = {
    "environment_protected: true", "deployers: maintainer", "required_approvals: 0"
  };

  static Decision decide(String condition, String action) {
    Policy policy =
        new PolicyLoader(
                t -> Optional.ofNullable(PolicyEvaluatorTest.TARGETS.get(t)), Set.of("main"))
            .parse(
                """
                rules:
                  - name: deploy
                    when:
                      project_path: "platform/*"
                      environment: production
                      %s
                    grant: {target: staging, access: full}
                """
                    .formatted(condition));
    return PolicyEvaluator.evaluate(
        policy, claims(with("environment_action", action)), FixedFacts.protectedEverything());
  }

  static Stream<Arguments> notDeploying() {
    return Stream.of("prepare", "verify", "access", "stop")
        .flatMap(action -> Stream.of(CONDITIONS).map(c -> Arguments.of(action, c)));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {"environment_protected: true", "deployers: maintainer", "required_approvals: 0"})
  void a_job_that_starts_a_deployment_can_satisfy_the_condition(String condition) {
    assertThat(decide(condition, "start").allowed()).isTrue();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {"environment_protected: true", "deployers: maintainer", "required_approvals: 0"})
  void a_job_without_an_environment_action_deploys_and_can_satisfy_the_condition(String condition) {
    assertThat(decide(condition, null).allowed()).isTrue();
  }

  @ParameterizedTest(name = "action {0}, {1}")
  @MethodSource("notDeploying")
  void a_job_that_does_not_deploy_fails_the_condition_with_a_trace_saying_why(
      String action, String condition) {
    // when
    Decision d = decide(condition, action);

    // then
    String name = condition.substring(0, condition.indexOf(':'));
    ConditionTrace failed =
        d.trace().get(0).conditions().stream()
            .filter(c -> c.condition().equals(name))
            .findFirst()
            .orElseThrow();
    assertThat(d.allowed()).isFalse();
    assertThat(failed.result()).isEqualTo(Result.FAILED);
    assertThat(String.valueOf(failed.actual()))
        .contains("environment_action " + action)
        .contains("not a deployment");
  }
}
