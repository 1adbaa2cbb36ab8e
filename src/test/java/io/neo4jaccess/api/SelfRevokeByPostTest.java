package io.neo4jaccess.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.neo4jaccess.testing.BrokerTestResource;
import io.neo4jaccess.testing.StateProbe;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code POST /v1/leases/{id}/revoke}: self-revoke for clients that cannot send DELETE. */
@QuarkusTest
@WithTestResource(BrokerTestResource.class)
class SelfRevokeByPostTest {

  private static String token() {
    return ExchangeResourceTest.token(Map.of());
  }

  private static JsonPath exchange(String token) {
    return ExchangeResourceTest.exchange(token);
  }

  private static Response postRevoke(String token, String leaseId) {
    return given()
        .header("Authorization", "Bearer " + token)
        .post("/v1/leases/" + leaseId + "/revoke");
  }

  @Test
  void the_job_that_holds_the_lease_revokes_it_with_a_post() {
    // given
    String token = token();
    JsonPath issued = exchange(token);

    // when
    Response answer = postRevoke(token, issued.getString("lease_id"));

    // then
    assertThat(answer.statusCode()).isEqualTo(204);
    assertThat(StateProbe.leaseState(issued.getString("lease_id"))).isEqualTo("revoked");
    assertThat(StateProbe.brokerUsers()).doesNotContain(issued.getString("username"));
  }

  @Test
  void another_jobs_token_gets_404_and_the_lease_stays_active() {
    // given
    JsonPath issued = exchange(token());

    // when
    Response answer = postRevoke(token(), issued.getString("lease_id"));

    // then
    assertThat(answer.statusCode()).isEqualTo(404);
    assertThat(answer.contentType()).startsWith("application/problem+json");
    assertThat(answer.jsonPath().getString("code")).isEqualTo("not_found");
    assertThat(StateProbe.leaseState(issued.getString("lease_id"))).isEqualTo("active");
    assertThat(StateProbe.brokerUsers()).contains(issued.getString("username"));
  }
}
