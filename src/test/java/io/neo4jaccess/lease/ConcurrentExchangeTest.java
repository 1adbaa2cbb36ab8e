package io.neo4jaccess.lease;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.neo4jaccess.testing.BrokerTestResource;
import io.neo4jaccess.testing.StateProbe;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.neo4j.driver.Driver;

/**
 * Exchanges that arrive together have their state writes and users committed together
 * (GroupCommit). Batching must not blur who gets what: every exchange gets its own working user and
 * lease, and a token sent several times at once — likely in one batch — is issued exactly once.
 */
@QuarkusTest
@WithTestResource(BrokerTestResource.class)
class ConcurrentExchangeTest {

  private static final int DISTINCT = 20;
  private static final int COPIES = 4;

  @Test
  void exchanges_at_once_each_get_their_own_user_and_a_token_sent_four_times_is_issued_once()
      throws Exception {
    // Own pipeline: these jobs must not join another test's pipeline 1001.
    Map<String, String> pipeline = Map.of("pipeline_id", "7301");
    List<String> tokens = new ArrayList<>();
    for (int i = 0; i < DISTINCT; i++) {
      tokens.add(BrokerTestResource.gitlab().mint(BrokerTestResource.AUDIENCE, pipeline));
    }
    String replayed = BrokerTestResource.gitlab().mint(BrokerTestResource.AUDIENCE, pipeline);
    List<String> requests = new ArrayList<>(tokens);
    for (int i = 0; i < COPIES; i++) {
      requests.add(i * (DISTINCT / COPIES), replayed);
    }
    Map<String, Long> before = StateProbe.stateCounts();

    List<Response> answers = sendAtOnce(requests);

    List<Response> issued = new ArrayList<>();
    List<Response> refused = new ArrayList<>();
    for (Response r : answers) {
      (r.statusCode() == 200 ? issued : refused).add(r);
    }
    assertThat(issued).hasSize(DISTINCT + 1);
    assertThat(refused)
        .hasSize(COPIES - 1)
        .allSatisfy(
            r -> {
              assertThat(r.statusCode()).isEqualTo(401);
              assertThat(r.jsonPath().getString("code")).isEqualTo("token_replayed");
            });
    assertThat(issued.stream().map(r -> r.jsonPath().getString("username")).distinct())
        .hasSize(DISTINCT + 1);
    for (Response r : issued) {
      String username = r.jsonPath().getString("username");
      try (Driver job = StateProbe.loginAs(username, r.jsonPath().getString("password"));
          var session = job.session()) {
        assertThat(session.run("RETURN 1 AS one").single().get("one").asInt()).isEqualTo(1);
      }
      assertThat(StateProbe.leaseState(r.jsonPath().getString("lease_id"))).isEqualTo("active");
    }
    Map<String, Long> after = StateProbe.stateCounts();
    for (String label : List.of("leases", "jtis", "decisions", "jobs")) {
      assertThat(after.get(label) - before.get(label)).as(label).isEqualTo(DISTINCT + 1);
    }
  }

  /** All requests released by one gate, each from its own thread, as jobs of a big pipeline. */
  private static List<Response> sendAtOnce(List<String> tokens) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(tokens.size());
    try {
      CountDownLatch gate = new CountDownLatch(1);
      List<CompletableFuture<Response>> calls = new ArrayList<>();
      for (String token : tokens) {
        calls.add(
            CompletableFuture.supplyAsync(
                () -> {
                  try {
                    assertThat(gate.await(10, TimeUnit.SECONDS)).isTrue();
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                  }
                  return given().header("Authorization", "Bearer " + token).post("/v1/exchange");
                },
                pool));
      }
      gate.countDown();
      List<Response> answers = new ArrayList<>();
      for (CompletableFuture<Response> call : calls) {
        answers.add(call.get(Duration.ofSeconds(60).toSeconds(), TimeUnit.SECONDS));
      }
      return Collections.unmodifiableList(answers);
    } finally {
      pool.shutdownNow();
    }
  }
}
