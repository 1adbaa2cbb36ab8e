package io.neo4jaccess.testing;

import static io.restassured.RestAssured.given;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.restassured.response.ValidatableResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** GitLab's side of a webhook delivery: documented payloads, its headers, its signature. */
public final class Webhooks {

  private static final ObjectMapper JSON = new ObjectMapper();

  private Webhooks() {}

  /** A fixture from {@code src/test/resources/gitlab/webhooks/}, as a mutable tree. */
  public static ObjectNode fixture(String name) {
    try (InputStream in = Webhooks.class.getResourceAsStream("/gitlab/webhooks/" + name)) {
      return (ObjectNode) JSON.readTree(in);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The documented Job Hook, tied to one job of the test's. */
  public static ObjectNode jobHook(long projectId, long pipelineId, long jobId, String status) {
    ObjectNode n = fixture("job_hook.json");
    n.put("build_id", jobId);
    n.put("build_status", status);
    n.put("project_id", projectId);
    n.put("pipeline_id", pipelineId);
    ((ObjectNode) n.get("project")).put("id", projectId);
    ((ObjectNode) n.get("commit")).put("id", pipelineId);
    ((ObjectNode) n.get("commit")).put("status", status);
    return n;
  }

  /**
   * The Job Hook of an environment's stop job ({@code environment.action: stop}) that succeeded.
   */
  public static ObjectNode stopJobHook(
      long projectId, long pipelineId, long jobId, String environment) {
    ObjectNode n = jobHook(projectId, pipelineId, jobId, "success");
    ObjectNode env = n.putObject("environment");
    env.put("name", environment);
    env.put("action", "stop");
    env.put("deployment_tier", "development");
    return n;
  }

  /** The documented Deployment Hook, about one project. */
  public static ObjectNode deploymentHook(long projectId) {
    ObjectNode n = fixture("deployment_hook.json");
    ((ObjectNode) n.get("project")).put("id", projectId);
    return n;
  }

  public static byte[] bytes(Object tree) {
    try {
      return JSON.writeValueAsBytes(tree);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Headers GitLab sends with a token-authenticated delivery to instance {@code main}. */
  public static Map<String, String> tokenHeaders(String event, String key) {
    return tokenHeaders(event, key, BrokerTestResource.WEBHOOK_SECRET);
  }

  /** Headers GitLab sends with a delivery of the hook whose secret token is {@code secret}. */
  public static Map<String, String> tokenHeaders(String event, String key, String secret) {
    Map<String, String> h = new LinkedHashMap<>();
    h.put("X-Gitlab-Event", event);
    h.put("X-Gitlab-Token", secret);
    h.put("X-Gitlab-Event-UUID", UUID.randomUUID().toString());
    h.put("Idempotency-Key", key);
    h.put("User-Agent", "GitLab/18.6.0");
    return h;
  }

  /** Standard-Webhooks headers signed with {@code secret} ({@code whsec_...}) over the body. */
  public static Map<String, String> signedHeaders(
      String event, String key, byte[] body, String secret, long timestamp) {
    Map<String, String> h = new LinkedHashMap<>();
    h.put("X-Gitlab-Event", event);
    h.put("Idempotency-Key", key);
    h.put("webhook-id", key);
    h.put("webhook-timestamp", String.valueOf(timestamp));
    h.put("webhook-signature", "v1," + sign(secret, key, String.valueOf(timestamp), body));
    return h;
  }

  public static String sign(String secret, String id, String timestamp, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(
          new SecretKeySpec(
              Base64.getDecoder().decode(secret.substring("whsec_".length())), "HmacSHA256"));
      mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
      return Base64.getEncoder().encodeToString(mac.doFinal(body));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  public static ValidatableResponse post(byte[] body, Map<String, String> headers) {
    return given()
        .headers(headers)
        .contentType("application/json")
        .body(body)
        .when()
        .post("/v1/webhooks/gitlab")
        .then();
  }

  /** The answer's JSON members, after checking its status. */
  public static Map<String, Object> answer(ValidatableResponse response, int status) {
    return response.statusCode(status).extract().jsonPath().getMap("");
  }

  /** A token-authenticated Job Hook delivery with a fresh idempotency key. */
  public static ValidatableResponse deliver(Object tree, String event) {
    return post(bytes(tree), tokenHeaders(event, UUID.randomUUID().toString()));
  }
}
