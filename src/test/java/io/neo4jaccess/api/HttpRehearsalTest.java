package io.neo4jaccess.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.neo4jaccess.testing.BrokerTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

/**
 * The broker's request to its own API at start: readiness waits until it was answered, and the
 * answer is the refusal of a request without a token, so it went through the API and did nothing.
 */
@QuarkusTest
@WithTestResource(BrokerTestResource.class)
class HttpRehearsalTest {

  @Test
  void readiness_reports_the_brokers_own_request_answered_401() {
    // when
    JsonPath ready = given().get("/q/health/ready").then().statusCode(200).extract().jsonPath();

    // then
    assertThat(ready.getString("checks.find { it.name == 'http rehearsal' }.status"))
        .isEqualTo("UP");
    assertThat(ready.getInt("checks.find { it.name == 'http rehearsal' }.data.answered"))
        .isEqualTo(401);
  }

  @Test
  void a_token_less_request_to_its_path_is_refused_before_anything_is_read() {
    // when: what the broker sends itself
    JsonPath answer = given().post(HttpRehearsal.PATH).then().statusCode(401).extract().jsonPath();

    // then
    assertThat(answer.getString("code")).isEqualTo("token_missing");
  }

  @Test
  void a_server_listening_on_every_address_is_reached_on_loopback() {
    assertThat(HttpRehearsal.loopback("0.0.0.0")).isEqualTo("127.0.0.1");
    assertThat(HttpRehearsal.loopback("::")).isEqualTo("::1");
    assertThat(HttpRehearsal.loopback(null)).isEqualTo("127.0.0.1");
    assertThat(HttpRehearsal.loopback("10.0.0.7")).isEqualTo("10.0.0.7");
  }
}
