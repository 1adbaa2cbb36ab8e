package io.neo4jaccess.policy;

import static io.neo4jaccess.policy.PolicyEvaluatorTest.claims;
import static io.neo4jaccess.policy.PolicyEvaluatorTest.with;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Each condition reads its value from the claim or GitLab fact of its name, and from no other. */
class JobObserverTest {

  /** A job whose every string claim a condition compares has a value of its own. */
  private final JobObserver observer =
      new JobObserver(
          claims(
              with(
                  "ref", "release/2",
                  "ref_path", "refs/heads/release/2",
                  "ref_type", "branch",
                  "environment", "production",
                  "deployment_tier", "staging",
                  "environment_action", "prepare",
                  "user_login", "alice",
                  "pipeline_source", "web",
                  "runner_environment", "gitlab-hosted",
                  "project_visibility", "internal",
                  "ci_config_ref_uri",
                      "gitlab.example.com/platform/api//.gitlab-ci.yml@refs/heads/release/2")),
          FixedFacts.protectedEverything());

  @Test
  void every_condition_the_policy_loader_knows_is_observed() {
    for (String condition : Condition.KNOWN.keySet()) {
      assertThatCode(() -> observer.observe(condition)).as(condition).doesNotThrowAnyException();
    }
  }

  static Stream<Arguments> tokenConditions() {
    return Stream.of(
        Arguments.of("ref", "release/2"),
        Arguments.of("ref_path", "refs/heads/release/2"),
        Arguments.of("ref_type", "branch"),
        Arguments.of("environment", "production"),
        Arguments.of("deployment_tier", "staging"),
        Arguments.of("environment_action", "prepare"),
        Arguments.of("user_login", "alice"),
        Arguments.of("pipeline_source", "web"),
        Arguments.of("runner_environment", "gitlab-hosted"),
        Arguments.of("project_visibility", "internal"),
        Arguments.of(
            "ci_config_ref_uri",
            "gitlab.example.com/platform/api//.gitlab-ci.yml@refs/heads/release/2"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("tokenConditions")
  void a_claim_condition_reads_the_claim_of_its_name(String condition, String claimed) {
    Observation o = observer.observe(condition);

    assertThat(o.value()).isEqualTo(claimed);
    assertThat(o.source()).isEqualTo("token");
  }
}
