package io.neo4jaccess.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.neo4jaccess.testing.BrokerTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The access summary a maintainer reads from the job annotation's link. */
@QuarkusTest
@WithTestResource(BrokerTestResource.class)
class LeaseSummaryTest {

  private static final String SHA = "5f923865dde3436854e9ceb9cdb7815618d4e849";

  @Test
  void the_summary_links_to_the_job_in_gitlab_and_says_why_and_how_it_is_enforced() {
    // Given a job that narrowed its grant to 5 minutes
    String token = BrokerTestResource.gitlab().mint(BrokerTestResource.AUDIENCE, Map.of());
    JsonPath issued = exchange(token, "{\"ttl\":\"5m\"}");

    // When its summary is read
    JsonPath summary =
        given().get("/v1/leases/" + issued.getString("lease_id")).then().extract().jsonPath();

    // Then it links to the project, pipeline, job and commit on the job's GitLab instance
    String project = BrokerTestResource.gitlab().url() + "/demo/app";
    assertThat(summary.getString("gitlab_links.project")).isEqualTo(project);
    assertThat(summary.getString("gitlab_links.pipeline"))
        .isEqualTo(project + "/-/pipelines/" + summary.getLong("pipeline_id"));
    assertThat(summary.getString("gitlab_links.job"))
        .isEqualTo(project + "/-/jobs/" + summary.getLong("job_id"));
    assertThat(summary.getString("gitlab_links.commit")).isEqualTo(project + "/-/commit/" + SHA);
    // ... says what was asked for and how the grant is held
    assertThat(summary.getMap("requested")).isEqualTo(Map.of("ttl", "5m"));
    assertThat(summary.getString("enforcement")).isEqualTo("none");
    // ... and which conditions of the granting rule held, as the decision recorded them
    List<String> held = summary.getList("conditions_held.condition");
    assertThat(held).contains("project_path", "ref_protected", "pipeline_source");
  }

  @Test
  void the_page_shows_readable_times_links_and_the_conditions_that_held() throws Exception {
    String token = BrokerTestResource.gitlab().mint(BrokerTestResource.AUDIENCE, Map.of());
    JsonPath issued = exchange(token, null);

    Response page = given().accept("text/html").get("/v1/leases/" + issued.getString("lease_id"));

    assertThat(page.statusCode()).isEqualTo(200);
    String html = page.asString();
    assertThat(html)
        .contains("href=\"" + BrokerTestResource.gitlab().url() + "/demo/app/-/pipelines/")
        .contains("rel=\"noopener noreferrer\"")
        .containsPattern(
            "\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2} UTC</time> <span class=\"muted\">\\(in (9|10) min\\)")
        .contains("<code>ref_protected</code>")
        .contains("the grant as the policy gives it")
        .contains("<th>Neo4j user</th><td>" + issued.getString("username") + "</td>");
    // The times are whole seconds for people; the machine-readable value stays in datetime=
    assertThat(html).doesNotContainPattern(">\\d{4}-\\d{2}-\\d{2}T[^<]*\\.\\d+Z<");
    // ... and its one script, which shows the times in the reader's zone, is the one the CSP allows
    String script = html.substring(html.indexOf("<script>") + 8, html.indexOf("</script>"));
    assertThat(page.header("Content-Security-Policy"))
        .isEqualTo(
            "default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-"
                + sha256(script)
                + "'; frame-ancestors 'none'");
  }

  private static String sha256(String s) throws Exception {
    return java.util.Base64.getEncoder()
        .encodeToString(
            java.security.MessageDigest.getInstance("SHA-256")
                .digest(s.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
  }

  @Test
  void an_unknown_lease_is_a_page_for_a_browser_and_a_problem_for_an_api_client() {
    Response page = given().accept("text/html").get("/v1/leases/AAAAAAAAAAAAAAAAAAAAAA");
    assertThat(page.statusCode()).isEqualTo(404);
    assertThat(page.contentType()).startsWith("text/html");
    assertThat(page.asString()).contains("No such lease").doesNotContain("\"code\"");

    Response api = given().accept("application/json").get("/v1/leases/AAAAAAAAAAAAAAAAAAAAAA");
    assertThat(api.statusCode()).isEqualTo(404);
    assertThat(api.contentType()).startsWith("application/problem+json");
    assertThat(api.jsonPath().getString("code")).isEqualTo("not_found");
  }

  private static JsonPath exchange(String token, String body) {
    var request = given().header("Authorization", "Bearer " + token);
    if (body != null) {
      request = request.contentType("application/json").body(body);
    }
    return request.post("/v1/exchange").then().statusCode(200).extract().jsonPath();
  }
}
