package io.neo4jaccess.policy;

import static io.neo4jaccess.policy.PolicyEvaluatorTest.claims;
import static io.neo4jaccess.policy.PolicyEvaluatorTest.with;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code ci_config_ref_uri} as GitLab writes it: {@code <host>/<project path>//<config file>@<ref
 * path>}, whose {@code //} no ordinary path glob can match.
 */
class ConfigRefUriTest {

  static final String GITLAB_VALUE =
      "gitlab.example.com/platform/api//.gitlab-ci.yml@refs/heads/main";

  static Policy policy(String pattern) {
    return new PolicyLoader(
            t -> Optional.ofNullable(PolicyEvaluatorTest.TARGETS.get(t)), Set.of("main"))
        .parse(
            """
            rules:
              - name: own-config
                when:
                  project_path: "platform/*"
                  ci_config_ref_uri: "%s"
                grant: {target: staging, access: full}
            """
                .formatted(pattern));
  }

  static boolean allows(String pattern, String value) {
    return PolicyEvaluator.evaluate(
            policy(pattern),
            claims(with("ci_config_ref_uri", value)),
            FixedFacts.protectedEverything())
        .allowed();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "gitlab.example.com/platform/api//.gitlab-ci.yml@refs/heads/main",
    "gitlab.example.com/platform/*//.gitlab-ci.yml@refs/heads/main",
    "gitlab.example.com/platform/api//.gitlab-ci.yml@refs/heads/*",
    "gitlab.example.com/**//.gitlab-ci.yml@refs/heads/main"
  })
  void a_pattern_written_as_gitlab_writes_the_claim_matches_it(String pattern) {
    assertThat(allows(pattern, GITLAB_VALUE)).isTrue();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "other config file, gitlab.example.com/platform/api//ci/evil.yml@refs/heads/main",
    "a tag, gitlab.example.com/platform/api//.gitlab-ci.yml@refs/tags/v1",
    "other project, gitlab.example.com/evil/api//.gitlab-ci.yml@refs/heads/main",
    "a third //, gitlab.example.com/platform/api//.gitlab-ci.yml@refs/heads//main",
    "no //, gitlab.example.com/platform/api/.gitlab-ci.yml@refs/heads/main"
  })
  void another_config_or_ref_does_not_match(String why, String value) {
    assertThat(allows("gitlab.example.com/platform/api//.gitlab-ci.yml@refs/heads/*", value))
        .isFalse();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "gitlab.example.com/platform/api/.gitlab-ci.yml@refs/heads/main",
    "gitlab.example.com/platform/api//x.yml//y@refs/heads/main"
  })
  void a_pattern_without_exactly_one_double_slash_is_refused_at_load(String pattern) {
    assertThatThrownBy(() -> policy(pattern))
        .isInstanceOf(PolicyException.class)
        .hasMessageContaining("field 'when.ci_config_ref_uri'")
        .hasMessageContaining("//");
  }
}
