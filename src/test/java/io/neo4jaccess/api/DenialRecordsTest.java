package io.neo4jaccess.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.neo4jaccess.testing.BrokerTestResource;
import io.neo4jaccess.testing.SharedNeo4j;
import io.neo4jaccess.testing.StateProbe;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** A denial consumes no token, so a denied token may come back at will; it is recorded once. */
@QuarkusTest
@WithTestResource(BrokerTestResource.class)
class DenialRecordsTest {

  @TestHTTPResource("/v1/exchange")
  URI exchange;

  final HttpClient http = HttpClient.newHttpClient();

  int post(String token) throws Exception {
    return http.send(
            HttpRequest.newBuilder(exchange)
                .header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  static long decisionsAbout(String jobId) {
    try (var s = SharedNeo4j.stateAdmin().session()) {
      return s.run(
              "MATCH (d:Decision)-[:ABOUT]->(:Job {key: $k}) RETURN count(d) AS n",
              Map.of("k", "main/" + jobId))
          .single()
          .get("n")
          .asLong();
    }
  }

  @Test
  void five_hundred_replays_of_one_denied_token_leave_one_decision() throws Exception {
    // given a token every rule denies (an unprotected branch)
    String jobId = String.valueOf(970_000 + System.nanoTime() % 10_000);
    String token =
        BrokerTestResource.gitlab()
            .mint(
                BrokerTestResource.AUDIENCE,
                Map.of("job_id", jobId, "ref", "feature/x", "ref_protected", "false"));
    Map<String, Long> before = StateProbe.stateCounts();

    // when it is presented 500 times, 8 at once
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Future<Integer>> answers = new ArrayList<>();
    try {
      for (int i = 0; i < 500; i++) {
        answers.add(pool.submit(() -> post(token)));
      }
      for (Future<Integer> a : answers) {
        assertThat(a.get()).isEqualTo(403);
      }
    } finally {
      pool.shutdownNow();
    }

    // then one decision records it, and nothing else was written
    assertThat(decisionsAbout(jobId)).isEqualTo(1);
    Map<String, Long> after = StateProbe.stateCounts();
    assertThat(after.get("decisions")).isEqualTo(before.get("decisions") + 1);
    assertThat(after.get("jobs")).isEqualTo(before.get("jobs") + 1);
  }
}
