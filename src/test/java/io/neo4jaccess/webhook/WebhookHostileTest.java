package io.neo4jaccess.webhook;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.neo4jaccess.testing.BrokerTestResource;
import io.neo4jaccess.testing.StateProbe;
import io.neo4jaccess.testing.Webhooks;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
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
 * or unparsable, a signature header without its id, numbers in headers and payload fields in every
 * form, and a body beyond the limit sent without a Content-Length. Each is refused with its code
 * and records nothing; none is ever answered with a 5xx.
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
    var refused =
        Webhooks.post(BODY, new LinkedHashMap<>(headers.apply(null)))
            .contentType("application/problem+json");
    assertThat(Webhooks.answer(refused, 401)).containsEntry("code", "webhook_unauthorized");
    assertThat(StateProbe.webhookCounts()).isEqualTo(before);
  }

  /** Timestamps no clock sends, each signed as it stands, so that only its form can refuse it. */
  static Stream<Arguments> timestampsOfNoClock() {
    String now = String.valueOf(now());
    return Stream.of(
        Arguments.of("beyond_the_last_instant", "99999999999999999"),
        Arguments.of("long_max", String.valueOf(Long.MAX_VALUE)),
        Arguments.of("beyond_long", "9223372036854775808"),
        Arguments.of("forty_digits", "1" + "0".repeat(39)),
        Arguments.of("negative", "-" + now),
        Arguments.of("long_min", String.valueOf(Long.MIN_VALUE)),
        Arguments.of("minus_zero", "-0"),
        Arguments.of("plus_sign", "+" + now),
        Arguments.of("fractional", now + ".5"),
        Arguments.of("exponent", "1.7e9"),
        Arguments.of("space_inside", now.substring(0, 4) + " " + now.substring(4)),
        Arguments.of("hexadecimal", "0x" + Long.toHexString(now())),
        Arguments.of("zero_padded_beyond_twelve_digits", "000" + now),
        Arguments.of("latin1_superscript_digits", "\u00b9\u00b2\u00b3"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("timestampsOfNoClock")
  void a_webhook_timestamp_of_no_clock_is_401_and_records_nothing(String name, String timestamp) {
    // Given a delivery signed with the right key over that timestamp
    String id = UUID.randomUUID().toString();
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("X-Gitlab-Event", "Job Hook");
    headers.put("webhook-id", id);
    headers.put("webhook-timestamp", timestamp);
    headers.put(
        "webhook-signature",
        "v1," + Webhooks.sign(BrokerTestResource.SIGNING_SECRET, id, timestamp, BODY));
    Map<String, Long> before = StateProbe.webhookCounts();

    // When it is posted, then it is unauthentic, never a failure of the broker
    assertThat(Webhooks.answer(Webhooks.post(BODY, headers), 401))
        .containsEntry("code", "webhook_unauthorized");
    assertThat(StateProbe.webhookCounts()).isEqualTo(before);
  }

  /** Numbers in payload fields the broker reads, in every form JSON allows and some it does not. */
  static Stream<Arguments> numericPayloadFields() {
    List<String> values =
        List.of(
            "99999999999999999999",
            "-9223372036854775809",
            "-1",
            "0",
            "1.5",
            "1e400",
            "-1e400",
            "\"12abc\"",
            "true",
            "{}",
            "[]");
    List<String[]> fields =
        List.of(
            new String[] {"job_hook.json", "build_id"},
            new String[] {"job_hook.json", "project_id"},
            new String[] {"job_hook.json", "pipeline_id"},
            new String[] {"pipeline_hook.json", "project.id"},
            new String[] {"pipeline_hook.json", "builds.0.id"},
            new String[] {"deployment_hook.json", "project.id"},
            new String[] {"deployment_hook.json", "deployable_id"});
    return fields.stream().flatMap(f -> values.stream().map(v -> Arguments.of(f[0], f[1], v)));
  }

  @ParameterizedTest(name = "{0} {1} = {2}")
  @MethodSource("numericPayloadFields")
  void a_numeric_payload_field_out_of_range_is_never_a_5xx(
      String fixture, String field, String value) {
    // Given an authentic delivery whose field holds the value as raw JSON
    ObjectNode payload = Webhooks.fixture(fixture);
    if (payload.path("object_kind").asText().equals("build")) {
      payload.put("build_status", "success");
    }
    String[] path = field.split("\\.");
    JsonNode parent = payload;
    for (int i = 0; i < path.length - 1; i++) {
      parent = parent.isArray() ? parent.get(Integer.parseInt(path[i])) : parent.get(path[i]);
    }
    ((ObjectNode) parent).put(path[path.length - 1], "__value__");
    byte[] body =
        new String(Webhooks.bytes(payload), StandardCharsets.UTF_8)
            .replace("\"__value__\"", value)
            .getBytes(StandardCharsets.UTF_8);

    // When it is posted
    int status =
        Webhooks.post(body, Webhooks.tokenHeaders("Job Hook", UUID.randomUUID().toString()))
            .extract()
            .statusCode();

    // Then the answer is the event's, or a bad request: never a failure of the broker
    assertThat(status).isIn(200, 400);
  }

  @Test
  void oversized_body_without_content_length_is_413() {
    Map<String, Long> before = StateProbe.webhookCounts();
    byte[] huge = new byte[1024 * 1024 + 1];
    Arrays.fill(huge, (byte) ' ');
    var refused =
        given()
            .headers(Webhooks.tokenHeaders("Job Hook", UUID.randomUUID().toString()))
            .contentType("application/json")
            .body(new ByteArrayInputStream(huge)) // streamed: chunked, no Content-Length
            .post("/v1/webhooks/gitlab")
            .then();
    assertThat(Webhooks.answer(refused, 413)).containsEntry("code", "payload_too_large");
    assertThat(StateProbe.webhookCounts()).isEqualTo(before);
  }
}
