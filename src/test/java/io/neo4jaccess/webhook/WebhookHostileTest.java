package io.neo4jaccess.webhook;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.neo4jaccess.testing.BrokerTestResource;
import io.neo4jaccess.testing.StateProbe;
import io.neo4jaccess.testing.Webhooks;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.ByteArrayInputStream;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Webhook deliveries WebhookResourceTest does not already cover: signature timestamps out of bounds
 * or unparsable, a signature header without its id, and a body beyond the limit sent without a
 * Content-Length. Each is refused with its code and records nothing.
 */
@QuarkusTest
@WithTestResource(BrokerTestResource.class)
class WebhookHostileTest {

  static final byte[] BODY = Webhooks.bytes(Webhooks.jobHook(22, 1001, 987_654_321L, "success"));

  static long now() {
    return Instant.now().getEpochSecond();
  }

  static Map<String, String> signed(long timestamp) {
    return Webhooks.signedHeaders(
        "Job Hook",
        UUID.randomUUID().toString(),
        BODY,
        BrokerTestResource.SIGNING_SECRET,
        timestamp);
  }

  static Arguments refused(String name, Function<Void, Map<String, String>> headers) {
    return Arguments.of(name, headers);
  }

  static Stream<Arguments> refusedDeliveries() {
    return Stream.of(
        // A minute beyond the 5-minute tolerance: now() is truncated to seconds, the broker's clock
        // is not.
        refused("timestamp_from_the_future", v -> signed(now() + 360)),
        refused("replayed_signature_an_hour_old", v -> signed(now() - 3600)),
        refused(
            "timestamp_not_a_number",
            v -> {
              Map<String, String> h = signed(now());
              h.put("webhook-timestamp", "soon");
              return h;
            }),
        refused("timestamp_in_milliseconds", v -> signed(System.currentTimeMillis())),
        refused(
            "signature_without_webhook_id",
            v -> {
              Map<String, String> h = signed(now());
              h.remove("webhook-id");
              return h;
            }),
        refused(
            "signature_not_base64",
            v -> {
              Map<String, String> h = signed(now());
              h.put("webhook-signature", "v1,%%%not-base64%%%");
              return h;
            }),
        refused(
            "signature_of_another_scheme",
            v -> {
              Map<String, String> h = signed(now());
              h.put("webhook-signature", h.get("webhook-signature").replace("v1,", "v1a,"));
              return h;
            }));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusedDeliveries")
  void refused_and_records_nothing(String name, Function<Void, Map<String, String>> headers) {
    Map<String, Long> before = StateProbe.webhookCounts();
    Webhooks.post(BODY, new LinkedHashMap<>(headers.apply(null)))
        .statusCode(401)
        .contentType("application/problem+json")
        .body("code", equalTo("webhook_unauthorized"));
    assertThat(StateProbe.webhookCounts()).isEqualTo(before);
  }

  @Test
  void oversized_body_without_content_length_is_413() {
    Map<String, Long> before = StateProbe.webhookCounts();
    byte[] huge = new byte[1024 * 1024 + 1];
    Arrays.fill(huge, (byte) ' ');
    given()
        .headers(Webhooks.tokenHeaders("Job Hook", UUID.randomUUID().toString()))
        .contentType("application/json")
        .body(new ByteArrayInputStream(huge)) // streamed: chunked, no Content-Length
        .post("/v1/webhooks/gitlab")
        .then()
        .statusCode(413)
        .body("code", equalTo("payload_too_large"));
    assertThat(StateProbe.webhookCounts()).isEqualTo(before);
  }
}
