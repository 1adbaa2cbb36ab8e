package io.neo4jaccess.policy;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.neo4jaccess.testing.BrokerTestResource;
import io.neo4jaccess.testing.PolicyAsCodeTestResource;
import io.neo4jaccess.testing.PolicyInForce;
import io.neo4jaccess.testing.SharedNeo4j;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The policy file is reloaded while the broker runs: a valid edit takes effect within seconds, an
 * invalid one is refused and the loaded policy keeps deciding, and an exchange under way finishes
 * under the policy it started with. The file is laid out as a Kubernetes ConfigMap volume, and
 * every edit swaps its {@code ..data} symlink as the kubelet does.
 */
@QuarkusTest
@WithTestResource(PolicyAsCodeTestResource.class)
class PolicyReloadTest {

  @TestHTTPResource("/v1/exchange")
  URI exchangeUri;

  @AfterEach
  void restore_the_initial_policy() {
    BrokerTestResource.gitlab().slowApi(Duration.ZERO);
    PolicyInForce.load(PolicyAsCodeTestResource.INITIAL);
  }

  static double reloads(String outcome) {
    String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
    Matcher m =
        Pattern.compile(
                "(?m)^broker_policy_reloads_total\\{[^}]*outcome=\"" + outcome + "\"[^}]*} (\\S+)$")
            .matcher(metrics);
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }

  static String token(Map<String, ?> overrides) {
    return BrokerTestResource.gitlab().mint(BrokerTestResource.AUDIENCE, overrides);
  }

  static JsonPath explain(String token) {
    return given()
        .header("Authorization", "Bearer " + token)
        .post("/v1/explain")
        .then()
        .statusCode(200)
        .extract()
        .jsonPath();
  }

  static String withTtl(String ttl) {
    return PolicyAsCodeTestResource.INITIAL.replace(
        "grant: {target: demo, access: full, ttl: 10m}",
        "grant: {target: demo, access: full, ttl: " + ttl + "}");
  }

  @Test
  void a_valid_edit_takes_effect_within_seconds_without_a_restart() {
    // given the initial policy grants a protected push 10 minutes
    assertThat(explain(token(Map.of())).getLong("grant.ttl_seconds")).isEqualTo(600);
    double appliedBefore = reloads("applied");
    double refusedBefore = reloads("refused");
    String edited = withTtl("7m");

    // when the ConfigMap is updated
    PolicyAsCodeTestResource.write(edited);

    // then within a few seconds the edit decides, and /q/health names it
    PolicyInForce.awaitInForce(edited);
    assertThat(explain(token(Map.of())).getLong("grant.ttl_seconds")).isEqualTo(420);
    assertThat(reloads("applied")).isEqualTo(appliedBefore + 1);
    assertThat(reloads("refused")).isEqualTo(refusedBefore);
  }

  @Test
  void an_invalid_edit_is_refused_and_the_old_policy_keeps_deciding() throws Exception {
    // given a policy whose grant exceeds the target's maximum TTL of 1h
    double refusedBefore = reloads("refused");
    String invalid = withTtl("2h");

    // when it is mounted
    PolicyAsCodeTestResource.write(invalid);

    // then it is refused, counted and logged with its rule and field; the old policy decides on
    await()
        .atMost(PolicyInForce.A_FEW_SECONDS)
        .until(() -> reloads("refused") == refusedBefore + 1);
    assertThat(PolicyInForce.health().getString("sha256"))
        .isEqualTo(PolicyInForce.sha256(PolicyAsCodeTestResource.INITIAL));
    assertThat(PolicyInForce.health().getString("refused"))
        .isEqualTo(PolicyInForce.sha256(invalid));
    given().get("/q/health/ready").then().statusCode(200);
    assertThat(explain(token(Map.of())).getLong("grant.ttl_seconds")).isEqualTo(600);
    assertThat(Files.readString(Path.of("target", "quarkus-test.log")))
        .contains("policy reload refused")
        .contains("rule 'demo-protected' field 'grant.ttl': 2h exceeds target 'demo' maximum");
  }

  @Test
  void an_exchange_running_across_a_reload_is_decided_by_the_policy_it_started_with()
      throws Exception {
    // given an exchange held up in GitLab (a project whose facts are not cached yet)
    long project = 700_000 + ThreadLocalRandom.current().nextInt(100_000);
    String token =
        token(
            Map.of(
                "project_id", String.valueOf(project), "job_project_id", String.valueOf(project)));
    int callsBefore = BrokerTestResource.gitlab().apiCalls();
    BrokerTestResource.gitlab().slowApi(Duration.ofSeconds(4));
    CompletableFuture<HttpResponse<String>> exchange =
        HttpClient.newHttpClient()
            .sendAsync(
                HttpRequest.newBuilder(exchangeUri)
                    .header("Authorization", "Bearer " + token)
                    .POST(HttpRequest.BodyPublishers.noBody())
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    await()
        .atMost(PolicyInForce.A_FEW_SECONDS)
        .until(() -> BrokerTestResource.gitlab().apiCalls() > callsBefore);

    // when a new policy takes effect meanwhile
    String edited = withTtl("7m");
    PolicyAsCodeTestResource.write(edited);
    PolicyInForce.awaitInForce(edited);
    assertThat(exchange).as("the exchange is still waiting for GitLab").isNotDone();
    BrokerTestResource.gitlab().slowApi(Duration.ZERO);

    // then the exchange is granted what the policy it started with grants, and records that policy
    HttpResponse<String> answer = exchange.get();
    assertThat(answer.statusCode()).isEqualTo(200);
    JsonPath issued = new JsonPath(answer.body());
    assertThat(Duration.between(Instant.now(), Instant.parse(issued.getString("expires_at"))))
        .isGreaterThan(Duration.ofMinutes(8));
    assertThat(recordedPolicyOfLease(issued.getString("lease_id")))
        .containsEntry("decision", PolicyInForce.sha256(PolicyAsCodeTestResource.INITIAL))
        .containsEntry("lease", PolicyInForce.sha256(PolicyAsCodeTestResource.INITIAL));
  }

  @Test
  void the_version_is_in_health_and_metrics_and_on_every_decision_and_lease() {
    // given the initial policy, which declares version pac-1
    String sha = PolicyInForce.sha256(PolicyAsCodeTestResource.INITIAL);

    // when a job is granted a lease and another is denied
    JsonPath issued =
        given()
            .header("Authorization", "Bearer " + token(Map.of()))
            .post("/v1/exchange")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    String deniedJob = String.valueOf(960_000 + ThreadLocalRandom.current().nextInt(10_000));
    given()
        .header(
            "Authorization",
            "Bearer "
                + token(Map.of("job_id", deniedJob, "ref", "feature/x", "ref_protected", "false")))
        .post("/v1/exchange")
        .then()
        .statusCode(403);

    // then health, metrics, both decisions and the lease name the policy
    assertThat(PolicyInForce.health().getString("sha256")).isEqualTo(sha);
    assertThat(PolicyInForce.health().getString("version")).isEqualTo("pac-1");
    assertThat(given().get("/q/metrics").then().extract().asString())
        .containsPattern(
            "broker_policy_info\\{[^}]*sha256=\"" + sha + "\"[^}]*version=\"pac-1\"[^}]*} 1.0");
    assertThat(recordedPolicyOfLease(issued.getString("lease_id")))
        .containsEntry("decision", sha)
        .containsEntry("lease", sha)
        .containsEntry("version", "pac-1");
    try (var s = SharedNeo4j.stateAdmin().session()) {
      var denial =
          s.run(
                  "MATCH (d:Decision)-[:ABOUT]->(:Job {key: $k}) RETURN d.policySha256 AS sha,"
                      + " d.policyVersion AS version",
                  Map.of("k", "main/" + deniedJob))
              .single();
      assertThat(denial.get("sha").asString()).isEqualTo(sha);
      assertThat(denial.get("version").asString()).isEqualTo("pac-1");
    }
  }

  static Map<String, Object> recordedPolicyOfLease(String leaseId) {
    try (var s = SharedNeo4j.stateAdmin().session()) {
      return s.run(
              "MATCH (d:Decision)-[:ISSUED]->(l:Lease {id: $id}) RETURN d.policySha256 AS decision,"
                  + " l.policySha256 AS lease, l.policyVersion AS version",
              Map.of("id", leaseId))
          .single()
          .asMap();
    }
  }
}
