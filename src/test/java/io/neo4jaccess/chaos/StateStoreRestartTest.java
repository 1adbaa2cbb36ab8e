package io.neo4jaccess.chaos;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.neo4jaccess.testing.BrokerTestResource;
import io.neo4jaccess.testing.ChaosTestResource;
import io.neo4jaccess.testing.SecretsSeen;
import io.neo4jaccess.testing.StateProbe;
import io.neo4jaccess.testing.Webhooks;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The state store's server stops and comes back on the same port and data: meanwhile every exchange
 * and webhook is a 503 {@code state_unavailable} that creates no user, and afterwards the same
 * broker — not restarted — issues again, and what was recorded before is still there.
 */
@QuarkusTest
@WithTestResource(ChaosTestResource.class)
class StateStoreRestartTest {

  static String token() {
    String token = ChaosTestResource.gitlab().mint(BrokerTestResource.AUDIENCE, Map.of());
    SecretsSeen.record(token);
    return token;
  }

  @Test
  void state_store_restart_is_503_meanwhile_then_exchanges_succeed_again() {
    // Given a lease issued while the state store is up
    String before =
        given()
            .header("Authorization", "Bearer " + token())
            .post("/v1/exchange")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath()
            .getString("lease_id");

    // When the state store's server stops
    ChaosTestResource.stopState();
    try {
      List<String> users = StateProbe.brokerUsers();
      String during = token();

      // Then exchanges and webhooks are refused as the state store's fault, creating no user
      var exchange =
          given()
              .header("Authorization", "Bearer " + during)
              .post("/v1/exchange")
              .then()
              .statusCode(503)
              .extract();
      assertThat(exchange.header("Retry-After")).isNotNull();
      assertThat(exchange.jsonPath().getString("code")).isEqualTo("state_unavailable");
      var webhook =
          Webhooks.post(
                  Webhooks.bytes(Webhooks.jobHook(22, 1001, 123_456_789L, "success")),
                  Webhooks.tokenHeaders("Job Hook", UUID.randomUUID().toString()))
              .statusCode(503)
              .extract();
      assertThat(webhook.jsonPath().getString("code")).isEqualTo("state_unavailable");
      given().get("/v1/leases/" + before).then().statusCode(503);
      given().get("/q/health/ready").then().statusCode(503);
      assertThat(StateProbe.brokerUsers()).isEqualTo(users);

      // When it comes back on the same port with the same data
      ChaosTestResource.startState();

      // Then the token refused during the outage is exchanged (the 503 spent nothing)
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(500))
          .until(
              () -> {
                var r = given().header("Authorization", "Bearer " + during).post("/v1/exchange");
                if (r.statusCode() == 200) {
                  SecretsSeen.record(r.jsonPath().getString("password"));
                  return true;
                }
                assertThat(r.jsonPath().getString("code")).isEqualTo("state_unavailable");
                return false;
              });
      // And the lease recorded before the outage is still there, and readiness is back
      String state =
          given()
              .get("/v1/leases/" + before)
              .then()
              .statusCode(200)
              .extract()
              .jsonPath()
              .getString("state");
      assertThat(state).isEqualTo("active");
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> given().get("/q/health/ready").statusCode() == 200);
    } finally {
      ChaosTestResource.startState(); // idempotent: other classes share this state store
    }
  }
}
