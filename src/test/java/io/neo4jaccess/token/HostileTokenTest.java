package io.neo4jaccess.token;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import io.neo4jaccess.testing.BrokerTestResource;
import io.neo4jaccess.testing.GitLabStandIn;
import io.neo4jaccess.testing.StateProbe;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Tokens an attacker (or a misconfigured job) would send. Each must be refused with its own code
 * and leave no Neo4j user, no lease and no record behind.
 */
@QuarkusTest
@WithTestResource(BrokerTestResource.class)
class HostileTokenTest {

  static GitLabStandIn gitlab() {
    return BrokerTestResource.gitlab();
  }

  static Map<String, Object> claims(Map<String, ?> overrides) {
    return gitlab().claims(BrokerTestResource.AUDIENCE, overrides);
  }

  static String signed(Map<String, ?> overrides) {
    return gitlab().sign(gitlab().header(), claims(overrides));
  }

  static Map<String, Object> header(String key, Object value) {
    Map<String, Object> h = new LinkedHashMap<>(gitlab().header());
    h.put(key, value);
    return h;
  }

  static String b64(String s) {
    return GitLabStandIn.b64(s);
  }

  static String json(Map<String, ?> m) {
    try {
      return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(m);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static String hs256WithPublicKey() throws Exception {
    String input = b64(json(header("alg", "HS256"))) + "." + b64(json(claims(Map.of())));
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(gitlab().publicKey().getEncoded(), "HmacSHA256"));
    byte[] sig = mac.doFinal(input.getBytes(StandardCharsets.US_ASCII));
    return input + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(sig);
  }

  static String tamperedPayload() {
    String[] parts = signed(Map.of()).split("\\.");
    String evil = b64(json(claims(Map.of("project_path", "demo/evil"))));
    return parts[0] + "." + evil + "." + parts[2];
  }

  static String tamperedSignature() {
    String token = signed(Map.of());
    char last = token.charAt(token.length() - 2);
    return token.substring(0, token.length() - 2)
        + (last == 'A' ? 'B' : 'A')
        + token.charAt(token.length() - 1);
  }

  static long now() {
    return Instant.now().getEpochSecond();
  }

  static Stream<Arguments> hostileTokens() {
    return Stream.of(
        // name, Authorization header value (null: none), expected code
        hostile("missing_bearer", () -> null, "token_missing"),
        hostile("basic_instead_of_bearer", () -> "Basic bmVvNGo6bmVvNGo=", "token_missing"),
        hostile("malformed", () -> "Bearer not-a-jwt", "token_malformed"),
        hostile(
            "payload_not_json",
            () -> "Bearer " + b64("{\"alg\":\"RS256\"}") + "." + b64("[1,2]") + ".c2ln",
            "token_malformed"),
        hostile(
            "duplicate_claim",
            () ->
                "Bearer "
                    + gitlab()
                        .signRaw(
                            json(gitlab().header()),
                            json(claims(Map.of()))
                                .replaceFirst("\\{", "{\"project_path\":\"demo/evil\",")),
            "token_malformed"),
        hostile(
            "missing_jti",
            () -> "Bearer " + gitlab().sign(gitlab().header(), without(claims(Map.of()), "jti")),
            "token_malformed"),
        hostile(
            "alg_none",
            () ->
                "Bearer "
                    + b64(json(header("alg", "none")))
                    + "."
                    + b64(json(claims(Map.of())))
                    + ".",
            "token_algorithm"),
        hostile(
            "hs256_with_public_key",
            () -> uncheck(HostileTokenTest::hs256WithPublicKey),
            "token_algorithm"),
        hostile(
            "unknown_issuer",
            () -> "Bearer " + signed(Map.of("iss", "https://gitlab.evil.example")),
            "token_issuer_unknown"),
        hostile(
            "bare_host_issuer",
            () -> "Bearer " + signed(Map.of("iss", gitlab().url().replace("http://", ""))),
            "token_issuer_unknown"),
        hostile(
            "wrong_issuer_for_keys",
            () ->
                "Bearer "
                    + BrokerTestResource.otherGitlab()
                        .sign(BrokerTestResource.otherGitlab().header(), claims(Map.of())),
            "token_signature"),
        hostile(
            "other_instance_audience",
            () -> "Bearer " + signed(Map.of("aud", BrokerTestResource.OTHER_AUDIENCE)),
            "token_audience"),
        hostile(
            "wrong_audience",
            () -> "Bearer " + signed(Map.of("aud", "some-other-service")),
            "token_audience"),
        hostile(
            "expired",
            () ->
                "Bearer "
                    + signed(Map.of("iat", now() - 600, "nbf", now() - 605, "exp", now() - 300)),
            "token_expired"),
        hostile(
            "not_yet_valid",
            () ->
                "Bearer "
                    + signed(Map.of("iat", now() + 600, "nbf", now() + 595, "exp", now() + 4200)),
            "token_not_yet_valid"),
        hostile(
            "too_old",
            () ->
                "Bearer "
                    + signed(Map.of("iat", now() - 3600, "nbf", now() - 3605, "exp", now() + 600)),
            "token_too_old"),
        hostile(
            "unknown_kid",
            () -> "Bearer " + gitlab().sign(header("kid", "not-a-known-key"), claims(Map.of())),
            "token_signature"),
        hostile("tampered_payload", () -> "Bearer " + tamperedPayload(), "token_signature"),
        hostile("tampered_signature", () -> "Bearer " + tamperedSignature(), "token_signature"),
        hostile(
            "oversized",
            () -> "Bearer " + signed(Map.of("padding", "x".repeat(12_500))),
            "token_malformed"));
  }

  static Map<String, Object> without(Map<String, Object> m, String key) {
    m.remove(key);
    return m;
  }

  static String uncheck(java.util.concurrent.Callable<String> c) {
    try {
      return "Bearer " + c.call();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static Arguments hostile(String name, Supplier<String> authorization, String code) {
    return Arguments.of(name, authorization, code);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("hostileTokens")
  void hostile_token_is_refused_and_changes_nothing(
      String name, Supplier<String> authorization, String code) {
    List<String> usersBefore = StateProbe.brokerUsers();
    Map<String, Long> stateBefore = StateProbe.stateCounts();
    String header = authorization.get();

    RequestSpecification request = given();
    if (header != null) {
      request.header("Authorization", header);
    }
    String body =
        request
            .when()
            .post("/v1/exchange")
            .then()
            .statusCode(401)
            .contentType("application/problem+json")
            .body("code", equalTo(code))
            .body("status", equalTo(401))
            .extract()
            .asString();

    if (header != null && header.length() > 20) {
      assertThat(body).doesNotContain(header.substring(7));
    }
    assertThat(StateProbe.brokerUsers()).isEqualTo(usersBefore);
    assertThat(StateProbe.stateCounts()).isEqualTo(stateBefore);
  }

  @org.junit.jupiter.api.Test
  void header_beyond_the_http_limit_is_refused_by_the_http_layer_and_changes_nothing() {
    Map<String, Long> stateBefore = StateProbe.stateCounts();
    String huge = signed(Map.of("padding", "x".repeat(40_000)));
    given().header("Authorization", "Bearer " + huge).post("/v1/exchange").then().statusCode(431);
    assertThat(StateProbe.stateCounts()).isEqualTo(stateBefore);
  }

  @org.junit.jupiter.api.Test
  void replayed_jti_is_refused_and_changes_nothing() {
    String token = signed(Map.of());
    given().header("Authorization", "Bearer " + token).post("/v1/exchange").then().statusCode(200);
    List<String> usersBefore = StateProbe.brokerUsers();
    Map<String, Long> stateBefore = StateProbe.stateCounts();

    given()
        .header("Authorization", "Bearer " + token)
        .post("/v1/exchange")
        .then()
        .statusCode(401)
        .body("code", equalTo("token_replayed"))
        .body(not(containsString(token)));

    assertThat(StateProbe.brokerUsers()).isEqualTo(usersBefore);
    assertThat(StateProbe.stateCounts()).isEqualTo(stateBefore);
  }
}
