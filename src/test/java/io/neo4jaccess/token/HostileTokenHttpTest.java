package io.neo4jaccess.token;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.neo4jaccess.testing.BrokerTestResource;
import io.neo4jaccess.testing.GitLabStandIn;
import io.neo4jaccess.testing.SecretsSeen;
import io.neo4jaccess.testing.StateProbe;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.SocketException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The hostile-token table's answers on the wire: one token per error code, refused with its status,
 * code and {@code WWW-Authenticate}, never echoed, and leaving no Neo4j user, no lease and no
 * record behind. Every other hostile token is judged without a server ({@link TokenVerifierTest},
 * {@link ClaimTypesTest}, {@link HostileClaimsTest}).
 */
@QuarkusTest
@WithTestResource(BrokerTestResource.class)
class HostileTokenHttpTest {

  @TestHTTPResource("/")
  URL broker;

  static GitLabStandIn gitlab() {
    return BrokerTestResource.gitlab();
  }

  static String signed(Map<String, ?> overrides) {
    return gitlab().mint(BrokerTestResource.AUDIENCE, overrides);
  }

  static long now() {
    return Instant.now().getEpochSecond();
  }

  static Stream<Arguments> onePerCode() {
    return Stream.of(
        // name, Authorization header value (null: none), expected code
        hostile("missing_bearer", () -> null, "token_missing"),
        hostile("malformed", () -> "Bearer not-a-jwt", "token_malformed"),
        hostile(
            "out_of_range_expiry",
            () -> "Bearer " + signed(Map.of("exp", Long.MAX_VALUE)),
            "token_malformed"),
        hostile(
            "alg_none",
            () -> {
              String[] parts = signed(Map.of()).split("\\.");
              return "Bearer " + GitLabStandIn.b64("{\"alg\":\"none\"}") + "." + parts[1] + ".";
            },
            "token_algorithm"),
        hostile(
            "unknown_kid",
            () -> {
              Map<String, Object> header = new HashMap<>(gitlab().header());
              header.put("kid", "not-a-known-key");
              return "Bearer "
                  + gitlab().sign(header, gitlab().claims(BrokerTestResource.AUDIENCE, Map.of()));
            },
            "token_signature"),
        hostile(
            "unknown_issuer",
            () -> "Bearer " + signed(Map.of("iss", "https://gitlab.evil.example")),
            "token_issuer_unknown"),
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
            "token_too_old"));
  }

  static Arguments hostile(String name, Supplier<String> authorization, String code) {
    return Arguments.of(name, authorization, code);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("onePerCode")
  void hostile_token_is_refused_and_changes_nothing(
      String name, Supplier<String> authorization, String code) {
    // given the state before
    List<String> usersBefore = StateProbe.brokerUsers();
    Map<String, Long> stateBefore = StateProbe.stateCounts();
    String header = authorization.get();

    // when the token is exchanged
    RequestSpecification request = given();
    if (header != null) {
      request.header("Authorization", header);
    }
    Response response = request.when().post("/v1/exchange");

    // then it is refused with its code, not echoed, and nothing changed
    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.contentType()).startsWith("application/problem+json");
    assertThat(response.header("WWW-Authenticate")).isEqualTo("Bearer");
    assertThat(response.jsonPath().getString("code")).isEqualTo(code);
    assertThat(response.jsonPath().getInt("status")).isEqualTo(401);
    if (header != null && header.length() > 20) {
      assertThat(response.asString()).doesNotContain(header.substring(7));
    }
    assertThat(StateProbe.brokerUsers()).isEqualTo(usersBefore);
    assertThat(StateProbe.stateCounts()).isEqualTo(stateBefore);
  }

  @Test
  void header_beyond_the_http_limit_is_refused_by_the_http_layer_and_changes_nothing()
      throws IOException {
    Map<String, Long> stateBefore = StateProbe.stateCounts();
    String huge = signed(Map.of("padding", "x".repeat(40_000)));

    String answer = exchangeOnARawConnection("Bearer " + huge);

    // The HTTP layer answers 431 and closes as soon as the header passes its limit: a client
    // still writing the rest may see only the close (a broken pipe, a reset), never the API's
    // answer.
    assertThat(answer).isIn("431", CLOSED_UNREAD);
    assertThat(StateProbe.stateCounts()).isEqualTo(stateBefore);
  }

  private static final String CLOSED_UNREAD = "closed before the request was read";

  /** The status code of a token exchange sent on a socket of its own, or {@link #CLOSED_UNREAD}. */
  private String exchangeOnARawConnection(String authorization) throws IOException {
    byte[] request =
        ("POST /v1/exchange HTTP/1.1\r\nHost: "
                + broker.getHost()
                + "\r\nAuthorization: "
                + authorization
                + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII);
    try (Socket socket = new Socket(broker.getHost(), broker.getPort())) {
      socket.setSoTimeout(10_000);
      try {
        socket.getOutputStream().write(request);
        socket.getOutputStream().flush();
      } catch (SocketException closedWhileWriting) {
        // the answer, if any, was sent before the close: read it below
      }
      try {
        String statusLine =
            new BufferedReader(
                    new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
                .readLine();
        return statusLine == null ? CLOSED_UNREAD : statusLine.split(" ")[1];
      } catch (SocketException reset) {
        return CLOSED_UNREAD;
      }
    }
  }

  @Test
  void replayed_jti_is_refused_and_changes_nothing() {
    // given a token that was exchanged once
    String token = signed(Map.of());
    Response first = given().header("Authorization", "Bearer " + token).post("/v1/exchange");
    assertThat(first.statusCode()).isEqualTo(200);
    SecretsSeen.record(first.jsonPath().getString("password"));
    List<String> usersBefore = StateProbe.brokerUsers();
    Map<String, Long> stateBefore = StateProbe.stateCounts();

    // when it is exchanged again
    Response again = given().header("Authorization", "Bearer " + token).post("/v1/exchange");

    // then it is refused and nothing changed
    assertThat(again.statusCode()).isEqualTo(401);
    assertThat(again.jsonPath().getString("code")).isEqualTo("token_replayed");
    assertThat(again.asString()).doesNotContain(token);
    assertThat(StateProbe.brokerUsers()).isEqualTo(usersBefore);
    assertThat(StateProbe.stateCounts()).isEqualTo(stateBefore);
  }

  /** Refs GitLab's protected-branch matching must refuse: only the GitLab stand-in can judge. */
  static Stream<Arguments> hostileRefs() {
    return Stream.of(
        Arguments.of("nul_in_ref", "main\u0000"),
        Arguments.of("newline_in_ref", "main\nrelease/1"),
        Arguments.of("unprotected_ref_named_like_glob", "release/*"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("hostileRefs")
  void glob_fooling_claims_in_a_signed_token_are_denied_and_issue_nothing(String name, String ref) {
    // given a signed token whose ref is built to pass for a protected one
    List<String> usersBefore = StateProbe.brokerUsers();
    Map<String, Long> before = StateProbe.stateCounts();
    String token = signed(Map.of("ref", ref));
    SecretsSeen.record(token);

    // when it is exchanged
    Response response = given().header("Authorization", "Bearer " + token).post("/v1/exchange");

    // then it is denied; the denial is recorded, but nothing is issued or consumed
    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(response.contentType()).startsWith("application/problem+json");
    assertThat(response.jsonPath().getString("code")).isEqualTo("denied");
    assertThat(response.asString()).doesNotContain(token);
    assertThat(StateProbe.brokerUsers()).isEqualTo(usersBefore);
    Map<String, Long> after = StateProbe.stateCounts();
    assertThat(after.get("leases")).isEqualTo(before.get("leases"));
    assertThat(after.get("jtis")).isEqualTo(before.get("jtis"));
    assertThat(after.get("decisions")).isEqualTo(before.get("decisions") + 1);
    assertThat(after.get("jobs")).isBetween(before.get("jobs"), before.get("jobs") + 1);
  }

  @Test
  void explain_of_glob_fooling_claims_says_not_allowed_and_changes_nothing() {
    Map<String, Long> before = StateProbe.stateCounts();
    String token =
        signed(Map.of("project_path", "demo/../other", "job_project_path", "demo/../other"));
    SecretsSeen.record(token);

    Response response = given().header("Authorization", "Bearer " + token).post("/v1/explain");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.jsonPath().getBoolean("allowed")).isFalse();
    assertThat(StateProbe.stateCounts()).isEqualTo(before);
  }
}
