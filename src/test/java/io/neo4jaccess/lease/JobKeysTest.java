package io.neo4jaccess.lease;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.neo4jaccess.testing.BrokerTestResource;
import io.neo4jaccess.testing.SharedNeo4j;
import io.neo4jaccess.testing.StateProbe;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.neo4j.driver.Session;

/**
 * GitLab ids are unique only within one instance: two instances reuse the same project, pipeline
 * and job ids, and the state graph must keep their jobs apart.
 */
@QuarkusTest
@WithTestResource(BrokerTestResource.class)
class JobKeysTest {

  @Test
  void two_instances_reusing_the_same_ids_keep_their_pipelines_jobs_and_leases_apart() {
    // Given a job on each instance with the same project, pipeline and job ids
    long ids = 990_000_000L + (System.nanoTime() % 1_000_000);
    Map<String, String> same =
        Map.of("pipeline_id", String.valueOf(ids), "job_id", String.valueOf(ids + 1));
    String mainToken = BrokerTestResource.gitlab().mint(BrokerTestResource.AUDIENCE, same);
    String otherToken =
        BrokerTestResource.otherGitlab().mint(BrokerTestResource.OTHER_AUDIENCE, same);

    // When both exchange
    JsonPath onMain = exchange(mainToken);
    JsonPath onOther = exchange(otherToken);

    // Then the graph holds one pipeline and one job per instance, each under its own project
    try (Session s = SharedNeo4j.stateAdmin().session()) {
      List<String> pipelines =
          s.run(
                  "MATCH (p:Project)-[:RAN]->(pl:Pipeline {id: $id})-[:HAS]->(j:Job)"
                      + " RETURN p.key + ' ' + pl.key + ' ' + j.key AS path ORDER BY path",
                  Map.of("id", ids))
              .list(r -> r.get("path").asString());
      assertThat(pipelines)
          .containsExactly(
              "main/22 main/" + ids + " main/" + (ids + 1),
              "other/22 other/" + ids + " other/" + (ids + 1));
    }
    // ... each summary names its own instance
    assertThat(summary(onMain).getString("gitlab_instance")).isEqualTo("main");
    assertThat(summary(onOther).getString("gitlab_instance")).isEqualTo("other");

    // When main's job tries to revoke the other instance's lease with its own token
    given()
        .header("Authorization", "Bearer " + mainToken)
        .delete("/v1/leases/" + onOther.getString("lease_id"))
        .then()
        .statusCode(404);
    // Then it is refused and that lease stays active; its own revocation touches only its own
    given()
        .header("Authorization", "Bearer " + mainToken)
        .delete("/v1/leases/" + onMain.getString("lease_id"))
        .then()
        .statusCode(204);
    assertThat(StateProbe.leaseState(onMain.getString("lease_id"))).isEqualTo("revoked");
    assertThat(StateProbe.leaseState(onOther.getString("lease_id"))).isEqualTo("active");
  }

  @Test
  void the_stand_in_mints_a_new_pipeline_and_job_for_every_token() {
    String a = BrokerTestResource.gitlab().mint(BrokerTestResource.AUDIENCE, Map.of());
    String b = BrokerTestResource.gitlab().mint(BrokerTestResource.AUDIENCE, Map.of());

    JsonPath first = summary(exchange(a));
    JsonPath second = summary(exchange(b));

    assertThat(first.getLong("pipeline_id")).isNotEqualTo(second.getLong("pipeline_id"));
    assertThat(first.getLong("job_id")).isNotEqualTo(second.getLong("job_id"));
    assertThat(first.getLong("job_id")).isGreaterThan(Integer.MAX_VALUE);
  }

  private static JsonPath exchange(String token) {
    return given()
        .header("Authorization", "Bearer " + token)
        .post("/v1/exchange")
        .then()
        .statusCode(200)
        .extract()
        .jsonPath();
  }

  private static JsonPath summary(JsonPath issued) {
    return given()
        .get("/v1/leases/" + issued.getString("lease_id"))
        .then()
        .statusCode(200)
        .extract()
        .jsonPath();
  }
}
