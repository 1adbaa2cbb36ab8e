package io.neo4jaccess.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.neo4jaccess.testing.BrokerTestResource;
import io.neo4jaccess.testing.SharedNeo4j;
import io.neo4jaccess.testing.StateProbe;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.neo4j.driver.AuthTokens;
import org.neo4j.driver.Driver;
import org.neo4j.driver.GraphDatabase;
import org.neo4j.driver.exceptions.AuthenticationException;

@QuarkusTest
@WithTestResource(BrokerTestResource.class)
class ExchangeResourceTest {

  static String token(Map<String, ?> overrides) {
    return BrokerTestResource.gitlab().mint(BrokerTestResource.AUDIENCE, overrides);
  }

  static JsonPath exchange(String token) {
    return given()
        .header("Authorization", "Bearer " + token)
        .when()
        .post("/v1/exchange")
        .then()
        .statusCode(200)
        .extract()
        .jsonPath();
  }

  @Test
  void issued_credentials_log_in_over_bolt_and_run_a_query() {
    // Given a protected-branch push job's token; When it is exchanged
    JsonPath issued = exchange(token(Map.of()));

    // Then the response is the documented exchange answer and the user can log in and write
    assertThat(issued.getString("rule")).isEqualTo("demo-protected-full");
    assertThat(issued.getString("enforcement")).isEqualTo("none");
    assertThat(issued.getList("roles")).isEmpty();
    assertThat(issued.getString("username")).startsWith("ci_22_");
    assertThat(issued.getString("password")).hasSizeGreaterThanOrEqualTo(43);
    assertThat(issued.getString("summary_url"))
        .isEqualTo("https://neo4j-access.example.com/v1/leases/" + issued.getString("lease_id"));
    assertThat(issued.getString("annotations.neo4j-access[0].external_link.label"))
        .contains("Neo4j demo: full access until")
        .contains("rule demo-protected-full");
    try (Driver job =
            StateProbe.loginAs(issued.getString("username"), issued.getString("password"));
        var session = job.session()) {
      long n = session.run("CREATE (x:FromJob) RETURN count(x) AS n").single().get("n").asLong();
      assertThat(n).isEqualTo(1);
    }
    assertThat(StateProbe.leaseState(issued.getString("lease_id"))).isEqualTo("active");
  }

  @Test
  void a_job_user_cannot_log_in_to_the_state_store() {
    // Given a job's issued credentials, which log in on the target
    JsonPath issued = exchange(token(Map.of()));
    String username = issued.getString("username");
    String password = issued.getString("password");
    try (Driver job = StateProbe.loginAs(username, password);
        var session = job.session()) {
      assertThat(session.run("RETURN 1 AS one").single().get("one").asInt()).isEqualTo(1);
    }

    // When the job tries them on the state store's server, then it is refused: it can neither
    // delete its used token id nor write a lease there
    try (Driver state =
            GraphDatabase.driver(SharedNeo4j.stateBoltUri(), AuthTokens.basic(username, password));
        var session = state.session()) {
      assertThatThrownBy(() -> session.run("MATCH (u:UsedJti) DETACH DELETE u").consume())
          .isInstanceOf(AuthenticationException.class);
    }
  }

  @Test
  void each_instance_accepts_its_own_tokens_with_its_own_audience() {
    String token =
        BrokerTestResource.otherGitlab().mint(BrokerTestResource.OTHER_AUDIENCE, Map.of());
    JsonPath issued = exchange(token);
    JsonPath summary =
        given()
            .get("/v1/leases/" + issued.getString("lease_id"))
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertThat(summary.getString("gitlab_instance")).isEqualTo("other");
  }

  @Test
  void dotenv_answer_is_safe_to_source_in_sh_and_logs_in() throws Exception {
    ExtractableResponse<Response> answer =
        given()
            .header("Authorization", "Bearer " + token(Map.of()))
            .accept("text/plain")
            .when()
            .post("/v1/exchange")
            .then()
            .statusCode(200)
            .extract();
    assertThat(answer.contentType()).contains("text/plain");
    String dotenv = answer.asString();
    Path file = Files.createTempFile("neo4j", ".env");
    Files.writeString(file, dotenv);
    Process sh =
        new ProcessBuilder(
                "sh",
                "-c",
                ". \"$1\" && printf '%s\\n%s\\n%s\\n' \"$NEO4J_URI\" \"$NEO4J_USERNAME\""
                    + " \"$NEO4J_PASSWORD\"",
                "sh",
                file.toString())
            .start();
    String[] out =
        new String(sh.getInputStream().readAllBytes(), StandardCharsets.UTF_8).split("\n");
    assertThat(sh.waitFor()).isZero();
    assertThat(out[0]).startsWith("bolt://");
    try (Driver job = StateProbe.loginAs(out[1], out[2]);
        var session = job.session()) {
      assertThat(session.run("RETURN 1 AS one").single().get("one").asInt()).isEqualTo(1);
    }
    assertThat(dotenv).contains("NEO4J_ACCESS_ANNOTATIONS='{\"neo4j-access\":");
  }

  @Test
  void second_exchange_with_the_same_token_is_refused_and_changes_nothing() {
    String token = token(Map.of());
    exchange(token);
    var users = StateProbe.brokerUsers();
    var state = StateProbe.stateCounts();

    JsonPath problem =
        given()
            .header("Authorization", "Bearer " + token)
            .when()
            .post("/v1/exchange")
            .then()
            .statusCode(401)
            .contentType("application/problem+json")
            .extract()
            .jsonPath();

    assertThat(problem.getString("code")).isEqualTo("token_replayed");
    assertThat(StateProbe.brokerUsers()).isEqualTo(users);
    assertThat(StateProbe.stateCounts()).isEqualTo(state);
  }

  @Test
  void unprotected_branch_is_denied_with_the_closest_rule_and_failed_condition() {
    JsonPath problem =
        given()
            .header(
                "Authorization",
                "Bearer " + token(Map.of("ref", "feature/x", "ref_protected", "false")))
            .when()
            .post("/v1/exchange")
            .then()
            .statusCode(403)
            .contentType("application/problem+json")
            .extract()
            .jsonPath();

    assertThat(problem.getString("code")).isEqualTo("denied");
    assertThat(problem.getString("closest_rule")).isEqualTo("demo-protected-full");
    assertThat(problem.getString("detail")).contains("'ref_protected'");
    assertThat(problem.getList("trace[0].conditions.condition")).contains("ref_protected");
  }

  @Test
  void a_denial_does_not_consume_the_token() {
    // A 403 leaves the jti unused, so the same token may retry (e.g. after a policy fix).
    String token = token(Map.of("pipeline_source", "schedule"));
    given().header("Authorization", "Bearer " + token).post("/v1/exchange").then().statusCode(403);
    JsonPath again =
        given()
            .header("Authorization", "Bearer " + token)
            .post("/v1/exchange")
            .then()
            .statusCode(403)
            .extract()
            .jsonPath();
    assertThat(again.getString("code")).isEqualTo("denied");
  }

  @Test
  void request_body_may_narrow_but_not_widen() {
    for (String widening : new String[] {"{\"ttl\": \"2h\"}", "{\"target\": \"production\"}"}) {
      JsonPath problem =
          given()
              .header("Authorization", "Bearer " + token(Map.of()))
              .contentType("application/json")
              .body(widening)
              .post("/v1/exchange")
              .then()
              .statusCode(403)
              .extract()
              .jsonPath();
      assertThat(problem.getString("code")).as(widening).isEqualTo("scope_widening");
    }
    JsonPath narrowed =
        given()
            .header("Authorization", "Bearer " + token(Map.of()))
            .contentType("application/json")
            .body("{\"ttl\": \"1m\"}")
            .post("/v1/exchange")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    String summary =
        given()
            .get("/v1/leases/" + narrowed.getString("lease_id"))
            .then()
            .statusCode(200)
            .extract()
            .asString();
    assertThat(summary).doesNotContain(narrowed.getString("password"));
  }

  @Test
  void bad_bodies_are_400_and_change_nothing() {
    var state = StateProbe.stateCounts();
    for (String body :
        new String[] {"[]", "{\"roles\": \"reader\"}", "{\"ttl\": 5}", "{\"x\": 1}", "{"}) {
      JsonPath problem =
          given()
              .header("Authorization", "Bearer " + token(Map.of()))
              .contentType("application/json")
              .body(body)
              .post("/v1/exchange")
              .then()
              .statusCode(400)
              .extract()
              .jsonPath();
      assertThat(problem.getString("code")).as(body).isEqualTo("bad_request");
    }
    assertThat(StateProbe.stateCounts()).isEqualTo(state);
  }

  @Test
  void explain_answers_without_issuing_or_consuming_the_token() {
    String token = token(Map.of());
    var users = StateProbe.brokerUsers();
    JsonPath explained =
        given()
            .header("Authorization", "Bearer " + token)
            .post("/v1/explain")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertThat(explained.<Boolean>get("allowed")).isTrue();
    assertThat(explained.getString("rule")).isEqualTo("demo-protected-full");
    assertThat(explained.getString("grant.access")).isEqualTo("full");
    assertThat(StateProbe.brokerUsers()).isEqualTo(users);
    exchange(token);
  }

  @Test
  void explain_of_a_denied_job_names_the_closest_rule_and_the_failed_condition() {
    JsonPath explained =
        given()
            .header(
                "Authorization",
                "Bearer " + token(Map.of("ref", "feature/x", "ref_protected", "false")))
            .post("/v1/explain")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();

    String refProtected = "trace[0].conditions.find { it.condition == 'ref_protected' }";
    assertThat(explained.<Boolean>get("allowed")).isFalse();
    assertThat(explained.getString("closest_rule")).isEqualTo("demo-protected-full");
    assertThat(explained.getString("summary")).contains("failed on 'ref_protected'");
    assertThat(explained.getString(refProtected + ".result")).isEqualTo("FAILED");
    // from GitLab, or from the fact cache when an earlier test class warmed project 22
    assertThat(explained.getString(refProtected + ".source")).matches("token\\+(gitlab|cache)");
  }

  @Test
  void a_warm_fact_cache_costs_no_gitlab_call_per_exchange() {
    // Given the project's facts were read once
    exchange(token(Map.of()));
    int before = BrokerTestResource.gitlab().apiCalls();

    // When more jobs of the same project exchange their tokens
    for (int i = 0; i < 5; i++) {
      exchange(token(Map.of()));
    }

    // Then GitLab's API was not called again
    assertThat(BrokerTestResource.gitlab().apiCalls()).isEqualTo(before);
  }

  @Test
  void oversized_body_is_413_and_changes_nothing() {
    var state = StateProbe.stateCounts();
    JsonPath problem =
        given()
            .header("Authorization", "Bearer " + token(Map.of()))
            .contentType("application/json")
            .body("{\"ttl\": \"" + "1".repeat(20_000) + "\"}")
            .post("/v1/exchange")
            .then()
            .statusCode(413)
            .extract()
            .jsonPath();
    assertThat(problem.getString("code")).isEqualTo("payload_too_large");
    assertThat(StateProbe.stateCounts()).isEqualTo(state);
  }

  @Test
  void self_revoke_cuts_the_user_off() {
    String token = token(Map.of());
    JsonPath issued = exchange(token);
    String other = token(Map.of());
    JsonPath problem =
        given()
            .header("Authorization", "Bearer " + other)
            .delete("/v1/leases/" + issued.getString("lease_id"))
            .then()
            .statusCode(404)
            .extract()
            .jsonPath();
    assertThat(problem.getString("code")).isEqualTo("not_found");

    given()
        .header("Authorization", "Bearer " + token)
        .delete("/v1/leases/" + issued.getString("lease_id"))
        .then()
        .statusCode(204);

    assertThat(StateProbe.leaseState(issued.getString("lease_id"))).isEqualTo("revoked");
    assertThat(StateProbe.brokerUsers()).doesNotContain(issued.getString("username"));
    assertThatThrownBy(
            () -> {
              try (Driver job =
                      StateProbe.loginAs(
                          issued.getString("username"), issued.getString("password"));
                  var s = job.session()) {
                s.run("RETURN 1").consume();
              }
            })
        .isInstanceOf(AuthenticationException.class);
  }

  @Test
  void browsers_get_the_summary_as_an_escaped_page_without_secrets() {
    JsonPath issued = exchange(token(Map.of("user_login", "<script>alert(1)</script>")));
    ExtractableResponse<Response> answer =
        given()
            .accept("text/html")
            .get("/v1/leases/" + issued.getString("lease_id"))
            .then()
            .statusCode(200)
            .extract();
    assertThat(answer.contentType()).contains("text/html");
    assertThat(answer.header("Content-Security-Policy")).contains("default-src 'none'");
    assertThat(answer.header("Referrer-Policy")).isEqualTo("no-referrer");
    String page = answer.asString();
    assertThat(page)
        .contains(
            "demo/app (id 22)", "full access", "demo-protected-full", issued.getString("username"))
        .contains("&lt;script&gt;alert(1)&lt;/script&gt;")
        .doesNotContain("<script>alert")
        .doesNotContain(issued.getString("password"));
    // The page's only script is its own, the one the CSP allows by hash
    assertThat(page.split("<script>", -1)).hasSize(2);
  }

  @Test
  void a_job_revokes_its_lease_at_its_end_with_a_token_too_old_to_exchange() {
    // Given a lease taken at the start of a job that then ran for 30 minutes
    long now = java.time.Instant.now().getEpochSecond();
    Map<String, Object> longJob =
        Map.of("job_id", "777001", "iat", now - 1800, "nbf", now - 1805, "exp", now + 1800);
    JsonPath issued = exchange(token(Map.of("job_id", "777001")));
    String old = token(longJob);
    JsonPath problem =
        given()
            .header("Authorization", "Bearer " + token(longJob))
            .post("/v1/exchange")
            .then()
            .statusCode(401)
            .extract()
            .jsonPath();
    assertThat(problem.getString("code")).isEqualTo("token_too_old");

    // When its after_script revokes with the job's (old) token
    given()
        .header("Authorization", "Bearer " + old)
        .delete("/v1/leases/" + issued.getString("lease_id"))
        .then()
        .statusCode(204);

    // Then the lease is revoked
    assertThat(StateProbe.leaseState(issued.getString("lease_id"))).isEqualTo("revoked");
  }

  @Test
  void a_renamed_project_keeps_its_node_and_takes_the_new_path() {
    // Given a project the state graph has seen under one path (allowed or not, every exchange
    // records the job under its project)
    // (pipeline ids are unique per GitLab instance, so each job here gets a pipeline of its own)
    String id = String.valueOf(880_000 + System.nanoTime() % 100_000);
    Map<String, String> project =
        Map.of(
            "project_id",
            id,
            "job_project_id",
            id,
            "project_path",
            "demo/before-rename",
            "pipeline_id",
            id + "1");
    given().header("Authorization", "Bearer " + token(project)).post("/v1/exchange");

    // When a later job of the same project comes with the project's new path
    Map<String, String> renamed = new HashMap<>(project);
    renamed.put("project_path", "demo/after-rename");
    renamed.put("job_project_path", "demo/after-rename");
    renamed.put("pipeline_id", id + "2");
    given().header("Authorization", "Bearer " + token(renamed)).post("/v1/exchange");

    // Then there is still one node for the project, and it carries the new path
    try (var s = SharedNeo4j.stateAdmin().session()) {
      var projects =
          s.run(
                  "MATCH (p:Project {key: $k}) RETURN p.path AS path, p.id AS id,"
                      + " COUNT { (p)-[:RAN]->() } AS pipelines",
                  Map.of("k", "main/" + id))
              .list(r -> r.asMap());
      assertThat(projects).hasSize(1);
      assertThat(projects.get(0))
          .containsEntry("path", "demo/after-rename")
          .containsEntry("id", Long.parseLong(id))
          .containsEntry("pipelines", 2L);
    }
  }

  @Test
  void health_metrics_and_openapi_are_served() {
    assertThat(given().get("/q/health/ready").then().statusCode(200).extract().asString())
        .doesNotContain("DOWN");
    given().get("/q/health/live").then().statusCode(200);
    assertThat(given().get("/q/metrics").then().statusCode(200).extract().asString())
        .contains("broker_exchanges");
    assertThat(given().get("/q/openapi").then().statusCode(200).extract().asString())
        .contains("/v1/exchange");
  }
}
