package io.neo4jaccess.token;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.neo4jaccess.testing.BrokerTestResource;
import io.neo4jaccess.testing.SecretsSeen;
import io.neo4jaccess.testing.StateProbe;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Claim values built to fool glob matching, in tokens GitLab's key really signed: the signature
 * holds, so only the policy stands between them and a credential. Every case must be {@code denied}
 * (403) and issue nothing.
 *
 * <p>What a denial may change: it records a {@code Decision} (audit) about the job, and so merges
 * the job's {@code Job}/{@code Pipeline}/{@code Project} nodes. It must not add a lease, consume a
 * {@code jti}, or create a user — that is what is asserted.
 */
@QuarkusTest
@WithTestResource(BrokerTestResource.class)
class HostileClaimsTest {

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
        denied("nul_in_ref", Map.of("ref", "main\u0000")),
        denied("newline_in_ref", Map.of("ref", "main\nrelease/1")),
        denied("unprotected_ref_named_like_glob", Map.of("ref", "release/*")),
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
  void glob_fooling_claims_in_a_signed_token_are_denied_and_issue_nothing(
      String name, Map<String, Object> overrides) {
    List<String> usersBefore = StateProbe.brokerUsers();
    Map<String, Long> before = StateProbe.stateCounts();
    String token =
        BrokerTestResource.gitlab().mint(BrokerTestResource.AUDIENCE, new HashMap<>(overrides));
    SecretsSeen.record(token);

    String body =
        given()
            .header("Authorization", "Bearer " + token)
            .post("/v1/exchange")
            .then()
            .statusCode(403)
            .contentType("application/problem+json")
            .body("code", equalTo("denied"))
            .body("status", equalTo(403))
            .extract()
            .asString();

    assertThat(body).doesNotContain(token);
    assertThat(StateProbe.brokerUsers()).isEqualTo(usersBefore);
    Map<String, Long> after = StateProbe.stateCounts();
    assertThat(after.get("leases")).isEqualTo(before.get("leases"));
    assertThat(after.get("jtis")).isEqualTo(before.get("jtis"));
    assertThat(after.get("decisions")).isEqualTo(before.get("decisions") + 1);
    assertThat(after.get("jobs")).isBetween(before.get("jobs"), before.get("jobs") + 1);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("hostileClaims")
  void explain_of_glob_fooling_claims_says_not_allowed(String name, Map<String, Object> overrides) {
    Map<String, Long> before = StateProbe.stateCounts();
    String token =
        BrokerTestResource.gitlab().mint(BrokerTestResource.AUDIENCE, new HashMap<>(overrides));
    SecretsSeen.record(token);

    given()
        .header("Authorization", "Bearer " + token)
        .post("/v1/explain")
        .then()
        .statusCode(200)
        .body("allowed", equalTo(false));

    assertThat(StateProbe.stateCounts()).isEqualTo(before);
  }
}
