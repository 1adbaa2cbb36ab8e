package io.neo4jaccess.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.neo4jaccess.testing.BrokerTestResource;
import io.neo4jaccess.testing.SecretsSeen;
import io.neo4jaccess.testing.StateProbe;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Exchange bodies ExchangeResourceTest does not already cover, with a valid token of a job the
 * policy allows: each is refused with its code and spends nothing (no lease, no jti, no user).
 */
@QuarkusTest
@WithTestResource(BrokerTestResource.class)
class HostileRequestBodyTest {

  static Arguments body(String name, String json, int status, String code) {
    return Arguments.of(name, json, status, code);
  }

  static Stream<Arguments> hostileBodies() {
    return Stream.of(
        body("duplicate_ttl_key", "{\"ttl\": \"1m\", \"ttl\": \"1h\"}", 400, "bad_request"),
        body("json_null", "null", 400, "bad_request"),
        body("two_documents", "{} {\"ttl\": \"1h\"}", 400, "bad_request"),
        body("ttl_negative", "{\"ttl\": \"-5m\"}", 400, "bad_request"),
        body("ttl_iso8601_week", "{\"ttl\": \"P1W\"}", 400, "bad_request"),
        body(
            "ttl_number_as_string_overflow",
            "{\"ttl\": \"99999999999999999999h\"}",
            400,
            "bad_request"),
        body("roles_on_full_access_grant", "{\"roles\": [\"reader\"]}", 400, "bad_request"),
        body("roles_object", "{\"roles\": {\"admin\": true}}", 400, "bad_request"),
        body("target_number", "{\"target\": 7}", 400, "bad_request"),
        body("database_boolean", "{\"database\": true}", 400, "bad_request"),
        body("ttl_number", "{\"ttl\": 60.5}", 400, "bad_request"),
        body("role_number", "{\"roles\": [1]}", 400, "bad_request"),
        body("target_other_configured", "{\"target\": \"fragile\"}", 403, "scope_widening"),
        body("target_case_variant", "{\"target\": \"DEMO\"}", 403, "scope_widening"),
        body("database_system", "{\"database\": \"system\"}", 403, "scope_widening"),
        body("database_case_variant", "{\"database\": \"NEO4J\"}", 403, "scope_widening"),
        body("ttl_just_above_grant", "{\"ttl\": \"601s\"}", 403, "scope_widening"),
        body("nested_widening", "{\"grant\": {\"ttl\": \"1h\"}}", 400, "bad_request"),
        body("deeply_nested", "[".repeat(5000) + "]".repeat(5000), 400, "bad_request"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("hostileBodies")
  void refused_with_its_code_and_spends_nothing(String name, String json, int status, String code) {
    List<String> users = StateProbe.brokerUsers();
    Map<String, Long> before = StateProbe.stateCounts();
    String token = BrokerTestResource.gitlab().mint(BrokerTestResource.AUDIENCE, Map.of());
    SecretsSeen.record(token);

    String answered =
        given()
            .header("Authorization", "Bearer " + token)
            .contentType("application/json")
            .body(json)
            .post("/v1/exchange")
            .then()
            .statusCode(status)
            .contentType("application/problem+json")
            .extract()
            .jsonPath()
            .getString("code");

    assertThat(answered).isEqualTo(code);

    Map<String, Long> after = StateProbe.stateCounts();
    assertThat(after.get("leases")).isEqualTo(before.get("leases"));
    assertThat(after.get("jtis")).isEqualTo(before.get("jtis"));
    assertThat(StateProbe.brokerUsers()).isEqualTo(users);
  }
}
