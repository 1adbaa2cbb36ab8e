package io.neo4jaccess.chaos;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.neo4jaccess.testing.BrokerTestResource;
import io.neo4jaccess.testing.ChaosTestResource;
import io.neo4jaccess.testing.GitLabStandIn;
import io.neo4jaccess.testing.SecretsSeen;
import io.neo4jaccess.testing.StateProbe;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * GitLab failing at the HTTP level while a job exchanges: the broker fails closed with {@code
 * gitlab_unavailable} (503, {@code Retry-After}), records no lease, spends no {@code jti}, creates
 * no user — and the same token succeeds once GitLab answers again, without restarting anything.
 */
@QuarkusTest
@WithTestResource(ChaosTestResource.class)
class GitLabFaultsTest {

  /** A project of its own per case, so no fact of it is cached from an earlier case. */
  private static final AtomicLong PROJECTS = new AtomicLong(31_000);

  static Stream<Arguments> faults() {
    return Stream.of(
        Arguments.of("http_500", (Consumer<GitLabStandIn>) g -> g.failApi(500)),
        Arguments.of("http_502", (Consumer<GitLabStandIn>) g -> g.failApi(502)),
        Arguments.of("rate_limited_429", (Consumer<GitLabStandIn>) g -> g.failApi(429)),
        Arguments.of("timeout", (Consumer<GitLabStandIn>) g -> g.slowApi(Duration.ofMillis(2500))));
  }

  @AfterEach
  void heal() {
    ChaosTestResource.gitlab().failApi(0);
    ChaosTestResource.gitlab().slowApi(Duration.ZERO);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("faults")
  void gitlab_failing_fails_closed_then_recovers(String name, Consumer<GitLabStandIn> fault) {
    long project = PROJECTS.incrementAndGet();
    String path = "demo/gitlab-fault-" + project;
    String token =
        ChaosTestResource.gitlab()
            .mint(
                BrokerTestResource.AUDIENCE,
                Map.of(
                    "project_id",
                    String.valueOf(project),
                    "job_project_id",
                    String.valueOf(project),
                    "project_path",
                    path,
                    "job_project_path",
                    path));
    SecretsSeen.record(token);
    List<String> usersBefore = StateProbe.brokerUsers();
    Map<String, Long> before = ChaosTestResource.stateCounts();

    // Given GitLab answers the broker's fact lookups with the fault
    fault.accept(ChaosTestResource.gitlab());

    // When the job exchanges, Then it is refused as GitLab's fault, with a time to retry
    var refused =
        given()
            .header("Authorization", "Bearer " + token)
            .post("/v1/exchange")
            .then()
            .statusCode(503)
            .contentType("application/problem+json")
            .extract();
    assertThat(refused.header("Retry-After")).isNotNull();
    assertThat(refused.jsonPath().getString("code")).isEqualTo("gitlab_unavailable");
    Map<String, Long> after = ChaosTestResource.stateCounts();
    assertThat(after.get("leases")).isEqualTo(before.get("leases"));
    assertThat(after.get("jtis")).isEqualTo(before.get("jtis"));
    assertThat(StateProbe.brokerUsers()).isEqualTo(usersBefore);

    // And once GitLab answers again (after a 429's Retry-After), the same token is exchanged
    heal();
    await()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(500))
        .until(
            () -> {
              var r = given().header("Authorization", "Bearer " + token).post("/v1/exchange");
              if (r.statusCode() == 200) {
                SecretsSeen.record(r.jsonPath().getString("password"));
                return true;
              }
              assertThat(r.jsonPath().getString("code")).isEqualTo("gitlab_unavailable");
              return false;
            });
  }
}
