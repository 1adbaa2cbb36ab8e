package io.neo4jaccess.gateway.broker;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.neo4jaccess.gateway.GatewayLauncher;
import io.neo4jaccess.testing.BrokerTestResource;
import io.neo4jaccess.testing.GatewayJobs;
import io.neo4jaccess.testing.GatewayJobs.Project;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/**
 * Jobs of a gateway target are handed the gateway, told that it enforces their grant, and shown
 * their access level in explain and on their summary.
 */
@QuarkusTest
@WithTestResource(BrokerTestResource.class)
class GatewayExchangeTest {

  @Inject GatewayLauncher gateways;

  @Test
  void a_job_of_a_gateway_target_gets_the_gateway_uri_and_enforcement_gateway() {
    GatewayJobs.Issued job = GatewayJobs.exchange(Project.READ);

    assertThat(job.uri()).isEqualTo(gateways.clientUri("gated").orElseThrow());
    assertThat(job.uri()).startsWith("bolt://127.0.0.1:");
    assertThat(job.answer().getString("enforcement")).isEqualTo("gateway");
    assertThat(job.answer().getList("roles")).isEmpty();
    assertThat(job.answer().getString("annotations.neo4j-access[0].external_link.label"))
        .startsWith("Neo4j gated: read access until");
  }

  @Test
  void the_summary_shows_the_access_level_and_enforcement() {
    GatewayJobs.Issued job = GatewayJobs.exchange(Project.SCHEMA);

    JsonPath summary = Audits.summary(job.leaseId());

    assertThat(summary.getString("access")).isEqualTo("write");
    assertThat(summary.getBoolean("schema")).isTrue();
    assertThat(summary.getBoolean("remote_csv")).isTrue();
    assertThat(summary.getString("enforcement")).isEqualTo("gateway");
  }

  @Test
  void explain_shows_the_grant_with_its_access() {
    String token =
        BrokerTestResource.gitlab()
            .mint(BrokerTestResource.AUDIENCE, GatewayJobs.claims(Project.WRITE));

    JsonPath explained =
        given()
            .header("Authorization", "Bearer " + token)
            .post("/v1/explain")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();

    assertThat(explained.getString("grant.target")).isEqualTo("gated");
    assertThat(explained.getString("grant.access")).isEqualTo("write");
    assertThat(explained.getBoolean("grant.schema")).isFalse();
    assertThat(explained.getBoolean("grant.remote_csv")).isFalse();
  }
}
