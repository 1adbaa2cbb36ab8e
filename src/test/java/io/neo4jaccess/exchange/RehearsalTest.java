package io.neo4jaccess.exchange;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.neo4jaccess.testing.BrokerTestResource;
import io.neo4jaccess.testing.SharedNeo4j;
import io.neo4jaccess.testing.StateProbe;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.neo4j.driver.Session;

/**
 * The exchange rehearsed at start, in the broker as it runs: readiness waits for it, it leaves
 * nothing behind on either server, and its token is worth nothing to anyone else.
 */
@QuarkusTest
@WithTestResource(BrokerTestResource.class)
class RehearsalTest {

  @Test
  void readiness_reports_the_rehearsal_done() {
    // when
    JsonPath ready = given().get("/q/health/ready").then().statusCode(200).extract().jsonPath();

    // then
    assertThat(ready.getString("checks.find { it.name == 'exchange rehearsal' }.status"))
        .isEqualTo("UP");
    assertThat(ready.getString("checks.find { it.name == 'exchange rehearsal' }.data.rehearsal"))
        .isEqualTo("done");
  }

  @Test
  void the_rehearsal_leaves_no_lease_job_token_or_decision_in_the_state_store() {
    // given: the broker is ready, so its rehearsal has run
    given().get("/q/health/ready").then().statusCode(200);

    // when
    Map<String, Object> left;
    try (Session s = SharedNeo4j.stateAdmin().session()) {
      left =
          s.run(
                  "RETURN COUNT { (:Project {path: 'rehearsal/exchange'}) } AS projects,"
                      + " COUNT { (j:Job) WHERE j.key ENDS WITH '/1' } AS jobs,"
                      + " COUNT { (l:Lease) WHERE l.rule = 'rehearsal' } AS leases,"
                      + " COUNT { (u:UsedJti) WHERE u.key ENDS WITH"
                      + " '|00000000-0000-4000-8000-000000000000' } AS jtis")
              .single()
              .asMap();
    }

    // then
    assertThat(left)
        .containsOnly(
            Map.entry("projects", 0L),
            Map.entry("jobs", 0L),
            Map.entry("leases", 0L),
            Map.entry("jtis", 0L));
  }

  @Test
  void the_rehearsal_creates_no_user_on_any_target() {
    // given
    given().get("/q/health/ready").then().statusCode(200);

    // then: the rehearsed job is project 1, job 1
    List<String> users = StateProbe.brokerUsers();
    assertThat(users).noneMatch(u -> u.startsWith("ci_1_1_") || u.startsWith("fr_1_1_"));
  }

  @Test
  void the_brokers_exchange_refuses_the_rehearsal_token() throws Exception {
    // given
    String token;
    try (InputStream in =
        io.neo4jaccess.token.RehearsalTokens.class.getResourceAsStream("rehearsal-token.jwt")) {
      token = new String(in.readAllBytes(), StandardCharsets.US_ASCII).strip();
    }

    // when
    String code =
        given()
            .header("Authorization", "Bearer " + token)
            .post("/v1/exchange")
            .then()
            .statusCode(401)
            .extract()
            .jsonPath()
            .getString("code");

    // then
    assertThat(code).isEqualTo("token_issuer_unknown");
  }

  @Test
  void the_rehearsal_made_each_gitlab_clients_first_request() {
    // given
    given().get("/q/health/ready").then().statusCode(200);

    // when
    String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();

    // then
    assertThat(metrics.lines())
        .anyMatch(
            l ->
                l.startsWith("broker_gitlab_api_calls_total{")
                    && l.contains("endpoint=\"version\"")
                    && l.contains("status=\"200\""));
  }
}
