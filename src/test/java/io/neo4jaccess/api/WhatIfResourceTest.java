package io.neo4jaccess.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.neo4jaccess.testing.BrokerTestResource;
import io.neo4jaccess.testing.PolicyAsCodeTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Who may call {@code POST /v1/policy/what-if}, and what it refuses: only a job of a configured
 * policy repository (not its fork, not another project), with a valid candidate and window.
 */
@QuarkusTest
@WithTestResource(PolicyAsCodeTestResource.class)
class WhatIfResourceTest {

  static final String REPOSITORY = PolicyAsCodeTestResource.POLICY_REPOSITORY;

  static String token(Map<String, Object> overrides) {
    Map<String, Object> c = new HashMap<>();
    c.put("project_path", REPOSITORY);
    c.put("job_project_path", REPOSITORY);
    c.put("namespace_path", "platform");
    c.put("job_namespace_path", "platform");
    c.put("pipeline_source", "merge_request_event");
    c.put("ref", "change-policy");
    c.put("ref_protected", "false");
    c.putAll(overrides);
    return BrokerTestResource.gitlab().mint(BrokerTestResource.AUDIENCE, c);
  }

  static ValidatableResponse whatIf(String token, String candidate, String query) {
    return given()
        .header("Authorization", "Bearer " + token)
        .body(candidate.getBytes(StandardCharsets.UTF_8))
        .post("/v1/policy/what-if" + query)
        .then();
  }

  /** The answer's JSON, after checking its status. */
  static JsonPath answer(ValidatableResponse response, int status) {
    return response.statusCode(status).extract().jsonPath();
  }

  @Test
  void a_job_of_the_policy_repository_gets_the_report_and_keeps_its_token() {
    // given a job of the policy repository
    String token = token(Map.of());

    // when it asks twice with the same token
    whatIf(token, PolicyAsCodeTestResource.INITIAL, "").statusCode(200);
    var report =
        whatIf(token, PolicyAsCodeTestResource.INITIAL, "?window=2d").statusCode(200).extract();

    // then the token was not consumed, and the answer holds neither it nor its jti
    assertThat(report.jsonPath().getMap(""))
        .containsEntry("newly_denied", 0)
        .containsEntry("grants_changed", 0);
    assertThat(report.asString()).doesNotContain(token).doesNotContain(token.split("\\.")[1]);
  }

  @Test
  void a_job_of_another_project_is_refused() {
    JsonPath problem =
        answer(
            whatIf(
                token(Map.of("project_path", "demo/app", "job_project_path", "demo/app")),
                PolicyAsCodeTestResource.INITIAL,
                ""),
            403);
    assertThat(problem.getString("code")).isEqualTo("denied");
    assertThat(problem.getString("detail")).contains("main:demo/app is not one");
  }

  @Test
  void a_fork_of_the_policy_repository_is_refused() {
    // GitLab 18.2.2+ names the fork in project_path of a fork's merge request pipeline
    JsonPath problem =
        answer(
            whatIf(
                token(Map.of("project_path", "someone/access-policy", "project_id", "4242")),
                PolicyAsCodeTestResource.INITIAL,
                ""),
            403);
    assertThat(problem.getString("code")).isEqualTo("denied");
  }

  @Test
  void an_invalid_candidate_is_refused_naming_rule_and_field() {
    JsonPath problem =
        answer(
            whatIf(
                token(Map.of()),
                PolicyAsCodeTestResource.INITIAL.replace(
                    "target: demo, access: full, ttl: 10m", "target: prod, access: full"),
                ""),
            400);
    assertThat(problem.getString("code")).isEqualTo("bad_request");
    assertThat(problem.getString("detail"))
        .contains("rule 'demo-protected' field 'grant.target': unknown target 'prod'");
  }

  @Test
  void a_window_beyond_thirty_days_is_refused() {
    JsonPath problem =
        answer(whatIf(token(Map.of()), PolicyAsCodeTestResource.INITIAL, "?window=31d"), 400);
    assertThat(problem.getString("detail")).contains("up to 30 days");
  }

  @Test
  void an_empty_candidate_is_refused() {
    assertThat(answer(whatIf(token(Map.of()), "", ""), 400).getString("code"))
        .isEqualTo("bad_request");
  }
}
