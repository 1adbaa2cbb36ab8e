package io.neo4jaccess.gateway.broker;

import static io.restassured.RestAssured.given;

import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;

/** What the lease summary (JSON) shows of a lease's gateway activity, once the audit wrote it. */
final class Audits {

  private Audits() {}

  /** The lease's summary as JSON. */
  static JsonPath summary(String leaseId) {
    return given()
        .accept("application/json")
        .get("/v1/leases/" + leaseId)
        .then()
        .statusCode(200)
        .extract()
        .jsonPath();
  }

  /** Waits (at most 10 s) until the lease's summary lists a refusal under {@code rule}. */
  static void awaitRefusal(String leaseId, String rule) {
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> summary(leaseId).getList("gateway.refusals.rule", String.class),
            (List<String> rules) -> rules.contains(rule));
  }
}
