package io.neo4jaccess.lease;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.neo4jaccess.testing.BrokerTestResource;
import io.neo4jaccess.testing.FaultsTestResource;
import io.neo4jaccess.testing.StateProbe;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.Map;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.neo4j.driver.GraphDatabase;

/**
 * Dependencies failing mid-exchange: no user survives without a record, the token is not spent, and
 * the answer is a 503 with the code naming what failed. The tests stop real servers, so they run in
 * order: target first, then the state store.
 */
@QuarkusTest
@WithTestResource(FaultsTestResource.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FailureAtomicityTest {

  static String token(String project) {
    return BrokerTestResource.gitlab()
        .mint(
            BrokerTestResource.AUDIENCE,
            Map.of("project_path", project, "job_project_path", project));
  }

  static long stateCount(String label) {
    try (var driver = GraphDatabase.driver(FaultsTestResource.stateServer().boltURI());
        var s = driver.session()) {
      return s.run("MATCH (n:" + label + ") RETURN count(n) AS n").single().get("n").asLong();
    }
  }

  @Test
  @Order(1)
  void target_down_while_issuing_marks_the_lease_failed_and_gives_the_token_back() {
    // Given the fragile target has gone away after the broker started
    FaultsTestResource.fragileServer().close();
    long jtis = stateCount("UsedJti");
    String token = token("demo/fragile");

    // When a job of that target exchanges its token
    var refused =
        given()
            .header("Authorization", "Bearer " + token)
            .post("/v1/exchange")
            .then()
            .statusCode(503)
            .extract();

    // Then it is refused as the target's fault, with a time to retry
    assertThat(refused.header("Retry-After")).isNotNull();
    assertThat(refused.jsonPath().getString("code")).isEqualTo("target_unavailable");

    // And the lease written before the user is marked failed, and the jti is free again
    try (var driver = GraphDatabase.driver(FaultsTestResource.stateServer().boltURI());
        var s = driver.session()) {
      var lease = s.run("MATCH (l:Lease {target: 'fragile'}) RETURN l.state AS state").single();
      assertThat(lease.get("state").asString()).isEqualTo("failed");
    }
    assertThat(stateCount("UsedJti")).isEqualTo(jtis);
  }

  @Test
  @Order(2)
  void state_store_down_creates_no_user_and_answers_state_unavailable() {
    // Given the state store has gone away
    var usersBefore = StateProbe.brokerUsers();
    FaultsTestResource.stateServer().close();

    // When a job whose target is healthy exchanges its token
    var refused =
        given()
            .header("Authorization", "Bearer " + token("demo/app"))
            .post("/v1/exchange")
            .then()
            .statusCode(503)
            .extract();

    // Then it is refused as the state store's fault, with a time to retry
    assertThat(refused.header("Retry-After")).isNotNull();
    assertThat(refused.jsonPath().getString("code")).isEqualTo("state_unavailable");
    // And no user was created on the target
    assertThat(StateProbe.brokerUsers()).isEqualTo(usersBefore);
    given().get("/q/health/ready").then().statusCode(503);
  }
}
