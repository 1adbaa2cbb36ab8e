package io.neo4jaccess.token;

import static io.neo4jaccess.token.TokenFixture.bearer;
import static io.neo4jaccess.token.TokenFixture.signed;
import static org.assertj.core.api.Assertions.assertThat;

import io.neo4jaccess.policy.Decision;
import io.neo4jaccess.policy.FixedFacts;
import io.neo4jaccess.policy.Policy;
import io.neo4jaccess.policy.PolicyEvaluator;
import io.neo4jaccess.policy.PolicyLoader;
import io.neo4jaccess.policy.TargetLimits;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Claim values built to fool glob matching, in tokens GitLab's key really signed: the checklist
 * passes them, so only the policy stands between them and a credential. Each is run through the
 * checklist and then the integration tests' policy, with GitLab saying every ref and environment is
 * protected; each must be denied. (Hostile refs, which GitLab's protected-branch matching must
 * refuse, are judged at the HTTP level, against the GitLab stand-in.)
 */
class HostileClaimsTest {

  private final TokenFixture fixture = new TokenFixture();

  static final Policy POLICY =
      new PolicyLoader(
              target ->
                  Optional.of(
                      new TargetLimits(
                          Duration.ofHours(1), Set.of(), "neo4j", target.equals("gated"))),
              Set.of("main", "other"))
          .parse(resource("/policy/test-policy.yml"));

  /** Both the running project and the job's project, as a same-project pipeline would have. */
  static Map<String, Object> path(String projectPath) {
    return Map.of("project_path", projectPath, "job_project_path", projectPath);
  }

  static Arguments denied(String name, Map<String, Object> overrides) {
    return Arguments.of(name, overrides);
  }

  static Stream<Arguments> hostileClaims() {
    return Stream.of(
        denied("dot_dot_escape", path("demo/../other")),
        denied("dot_dot_back_into_namespace", path("demo/app/../../x")),
        denied("dot_segment", path("demo/./app")),
        denied("empty_segment", path("demo//app")),
        denied("trailing_slash", path("demo/app/")),
        denied("literal_star", path("demo/*")),
        denied("literal_double_star", path("demo/**")),
        denied("literal_question_mark", path("demo/ap?")),
        denied("literal_bracket", path("demo/[a]pp")),
        denied("trailing_space", path("demo/app ")),
        denied("upper_case_namespace", path("Demo/app")),
        denied("cyrillic_e_lookalike", path("d\u0435mo/app")),
        denied("fullwidth_solidus", path("demo\uFF0Fapp")),
        denied("nul_in_project_path", path("demo/app\u0000")),
        denied("newline_in_project_path", path("demo/app\nplatform/api")),
        denied(
            "fork_running_parents_job",
            Map.of(
                "project_path", "mallory/app",
                "namespace_path", "mallory",
                "job_project_path", "demo/app")),
        denied(
            "parent_running_forks_job",
            Map.of(
                "job_project_path", "mallory/app",
                "job_namespace_path", "mallory",
                "job_project_id", "666")),
        denied(
            "fork_merge_request_into_demo",
            Map.of(
                "pipeline_source", "merge_request_event",
                "job_project_path", "mallory/app",
                "job_namespace_path", "mallory",
                "job_project_id", "666")),
        denied(
            "namespace_dot_dot_on_merge_request",
            Map.of(
                "pipeline_source",
                "merge_request_event",
                "namespace_path",
                "demo/../mallory",
                "job_namespace_path",
                "demo/../mallory")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("hostileClaims")
  void glob_fooling_claims_in_a_signed_token_pass_the_checklist_and_are_denied(
      String name, Map<String, Object> overrides) {
    // given a token GitLab's key signed, carrying the hostile claims
    String token = signed(overrides);

    // when it passes the checklist and meets the policy
    GitLabClaims claims = fixture.verifier.verify(bearer(token));
    Decision decision = PolicyEvaluator.evaluate(POLICY, claims, FixedFacts.protectedEverything());

    // then no rule allows it
    assertThat(decision.allowed()).isFalse();
  }

  @Test
  void the_same_token_without_hostile_claims_is_allowed() {
    GitLabClaims claims = fixture.verifier.verify(bearer(signed(Map.of())));

    Decision decision = PolicyEvaluator.evaluate(POLICY, claims, FixedFacts.protectedEverything());

    assertThat(decision.rule()).isEqualTo("demo-protected-full");
  }

  private static String resource(String name) {
    try (InputStream in = HostileClaimsTest.class.getResourceAsStream(name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
