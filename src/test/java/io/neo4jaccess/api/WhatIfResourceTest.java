package io.neo4jaccess.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.neo4jaccess.testing.BrokerTestResource;
import io.neo4jaccess.testing.PolicyAsCodeTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
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

  @Test
  void a_job_of_the_policy_repository_gets_the_report_and_keeps_its_token() {
    // given a job of the policy repository
    String token = token(Map.of());

    // when it asks twice with the same token
    whatIf(token, PolicyAsCodeTestResource.INITIAL, "").statusCode(200);
    String body =
        whatIf(token, PolicyAsCodeTestResource.INITIAL, "?window=2d")
            .statusCode(200)
            .body("newly_denied", equalTo(0))
            .body("grants_changed", equalTo(0))
            .extract()
            .asString();

    // then the token was not consumed, and the answer holds neither it nor its jti
    assertThat(body).doesNotContain(token).doesNotContain(token.split("\\.")[1]);
  }

  @Test
  void a_job_of_another_project_is_refused() {
    whatIf(
            token(Map.of("project_path", "demo/app", "job_project_path", "demo/app")),
            PolicyAsCodeTestResource.INITIAL,
            "")
        .statusCode(403)
        .body("code", equalTo("denied"))
        .body("detail", containsString("main:demo/app is not one"));
  }

  @Test
  void a_fork_of_the_policy_repository_is_refused() {
    // GitLab 18.2.2+ names the fork in project_path of a fork's merge request pipeline
    whatIf(
            token(Map.of("project_path", "someone/access-policy", "project_id", "4242")),
            PolicyAsCodeTestResource.INITIAL,
            "")
        .statusCode(403)
        .body("code", equalTo("denied"));
  }

  @Test
  void an_invalid_candidate_is_refused_naming_rule_and_field() {
    whatIf(
            token(Map.of()),
            PolicyAsCodeTestResource.INITIAL.replace(
                "target: demo, access: full, ttl: 10m", "target: prod, access: full"),
            "")
        .statusCode(400)
        .body("code", equalTo("bad_request"))
        .body(
            "detail",
            containsString("rule 'demo-protected' field 'grant.target': unknown target 'prod'"));
  }

  @Test
  void a_window_beyond_thirty_days_is_refused() {
    whatIf(token(Map.of()), PolicyAsCodeTestResource.INITIAL, "?window=31d")
        .statusCode(400)
        .body("detail", containsString("up to 30 days"));
  }

  @Test
  void an_empty_candidate_is_refused() {
    whatIf(token(Map.of()), "", "").statusCode(400).body("code", equalTo("bad_request"));
  }
}
