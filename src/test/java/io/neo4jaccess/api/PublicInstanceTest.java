package io.neo4jaccess.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.neo4jaccess.testing.BrokerTestResource;
import io.neo4jaccess.testing.PublicInstanceTestResource;
import io.neo4jaccess.testing.StateProbe;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * A broker for public projects: denials and explain name only the failed condition, and exchange
 * and explain are rate-limited per project and per source address, answering 429 before anything is
 * written.
 */
@QuarkusTest
@WithTestResource(PublicInstanceTestResource.class)
class PublicInstanceTest {

  /** A project and an address of its own per test, so that no two tests share a limit. */
  static final AtomicLong IDS = new AtomicLong(990_000 + System.nanoTime() % 5_000 * 10);

  final String project = String.valueOf(IDS.incrementAndGet());
  final AtomicLong addresses = new AtomicLong();

  String address() {
    return "203.0." + (Long.parseLong(project) % 250) + "." + addresses.incrementAndGet();
  }

  String token(boolean granted) {
    Map<String, String> claims =
        granted
            ? Map.of("project_id", project, "job_project_id", project)
            : Map.of(
                "project_id",
                project,
                "job_project_id",
                project,
                "ref",
                "feature/x",
                "ref_protected",
                "false");
    return BrokerTestResource.gitlab().mint(BrokerTestResource.AUDIENCE, claims);
  }

  static Response post(String path, String token, String forwardedFor) {
    return given()
        .header("Authorization", "Bearer " + token)
        .header("X-Forwarded-For", forwardedFor)
        .post(path);
  }

  @Test
  void over_its_project_limit_a_job_is_answered_429_before_anything_is_written() {
    // given a project whose jobs used its limit, each from an address of its own
    for (int i = 0; i < PublicInstanceTestResource.PROJECT_PER_MINUTE; i++) {
      assertThat(post("/v1/exchange", token(false), address()).statusCode()).isEqualTo(403);
    }
    Map<String, Long> state = StateProbe.stateCounts();
    var users = StateProbe.brokerUsers();

    // when another job of the project asks, with a token the policy would grant
    Response answer = post("/v1/exchange", token(true), address());

    // then it is told to come back when its bucket holds one more (at most a third of a minute,
    // less as much as the requests took), and nothing was written
    assertThat(answer.statusCode()).isEqualTo(429);
    assertThat(answer.jsonPath().getString("code")).isEqualTo("rate_limited");
    assertThat(Integer.parseInt(answer.header("Retry-After"))).isBetween(1, 20);
    assertThat(StateProbe.stateCounts()).isEqualTo(state);
    assertThat(StateProbe.brokerUsers()).isEqualTo(users);
  }

  @Test
  void over_its_address_limit_a_caller_is_answered_429_before_its_token_is_read() {
    // given an address that sent its limit of tokens that are not even tokens
    String from = address();
    for (int i = 0; i < PublicInstanceTestResource.ADDRESS_PER_MINUTE; i++) {
      assertThat(post("/v1/explain", "not-a-token", from).statusCode()).isEqualTo(401);
    }
    Map<String, Long> state = StateProbe.stateCounts();

    // when it sends a token the policy would grant
    Response answer = post("/v1/exchange", token(true), from);

    // then
    assertThat(answer.statusCode()).isEqualTo(429);
    assertThat(Integer.parseInt(answer.header("Retry-After"))).isBetween(1, 12);
    assertThat(StateProbe.stateCounts()).isEqualTo(state);
  }

  @Test
  void with_traces_off_a_denial_names_only_the_failed_condition() {
    Response answer = post("/v1/exchange", token(false), address());

    assertThat(answer.statusCode()).isEqualTo(403);
    Map<String, Object> body = answer.jsonPath().getMap("");
    assertThat(body)
        .containsOnlyKeys("type", "title", "status", "code", "detail", "failed_condition")
        .containsEntry("failed_condition", "ref_protected");
    assertThat((String) body.get("detail"))
        .doesNotContain("demo", "feature/x", "true", "false", "push");
  }

  @Test
  void with_traces_off_explain_answers_only_denied_and_the_failed_condition() {
    Response answer = post("/v1/explain", token(false), address());

    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(answer.jsonPath().getMap(""))
        .containsOnlyKeys("allowed", "summary", "gitlab_unavailable", "failed_condition")
        .containsEntry("allowed", false)
        .containsEntry("failed_condition", "ref_protected");
    assertThat(answer.asString()).doesNotContain("demo", "feature/x", "push");
  }
}
