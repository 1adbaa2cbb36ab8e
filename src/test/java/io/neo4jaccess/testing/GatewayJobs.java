package io.neo4jaccess.testing;

import static io.restassured.RestAssured.given;

import io.restassured.path.json.JsonPath;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.neo4j.driver.AuthTokens;
import org.neo4j.driver.Config;
import org.neo4j.driver.Driver;
import org.neo4j.driver.GraphDatabase;

/**
 * Jobs of the projects that the test policy grants target {@code gated} (reached through the
 * broker's Bolt gateway): {@code gated/read}, {@code gated/write}, {@code gated/schema} (write with
 * schema and remote CSV) and {@code gated/full}. Each exchange is a real one, through the broker
 * under test.
 */
public final class GatewayJobs {

  /** The projects, by id. */
  public enum Project {
    READ(501, "gated/read"),
    WRITE(502, "gated/write"),
    SCHEMA(503, "gated/schema"),
    FULL(504, "gated/full");

    public final long id;
    public final String path;

    Project(long id, String path) {
      this.id = id;
      this.path = path;
    }
  }

  /** What a job of one of these projects was issued, password included. */
  public record Issued(
      Project project,
      String leaseId,
      String uri,
      String username,
      String password,
      long pipelineId,
      long jobId,
      JsonPath answer) {

    @Override
    public String toString() {
      return "Issued[" + leaseId + "]";
    }
  }

  private GatewayJobs() {}

  /** The claims of a push job of {@code project}. */
  public static Map<String, Object> claims(Project project) {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("namespace_id", "73");
    c.put("namespace_path", "gated");
    c.put("job_namespace_id", "73");
    c.put("job_namespace_path", "gated");
    c.put("project_id", String.valueOf(project.id));
    c.put("project_path", project.path);
    c.put("job_project_id", String.valueOf(project.id));
    c.put("job_project_path", project.path);
    c.put("sub", "project_path:" + project.path + ":ref_type:branch:ref:main");
    c.put(
        "ci_config_ref_uri",
        "gitlab.example.com/" + project.path + "//.gitlab-ci.yml@refs/heads/main");
    return c;
  }

  /** Exchanges a fresh token of a job of {@code project} at the broker under test. */
  public static Issued exchange(Project project) {
    GitLabStandIn gitlab = BrokerTestResource.gitlab();
    Map<String, Object> claims = gitlab.claims(BrokerTestResource.AUDIENCE, claims(project));
    String token = gitlab.sign(gitlab.header(), claims);
    SecretsSeen.record(token);
    JsonPath answer =
        given()
            .header("Authorization", "Bearer " + token)
            .when()
            .post("/v1/exchange")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    SecretsSeen.record(answer.getString("password"));
    return new Issued(
        project,
        answer.getString("lease_id"),
        answer.getString("uri"),
        answer.getString("username"),
        answer.getString("password"),
        Long.parseLong((String) claims.get("pipeline_id")),
        Long.parseLong((String) claims.get("job_id")),
        answer);
  }

  /** The lease's summary page, as a browser asks for it. */
  public static String summaryPage(Issued issued) {
    return given()
        .accept("text/html")
        .get("/v1/leases/" + issued.leaseId())
        .then()
        .statusCode(200)
        .extract()
        .asString();
  }

  /** A driver logged in with the issued credentials at the URI the job was given. */
  public static Driver driver(Issued issued) {
    return driver(issued.uri(), issued.username(), issued.password());
  }

  public static Driver driver(String uri, String user, String password) {
    return GraphDatabase.driver(
        uri,
        AuthTokens.basic(user, password),
        Config.builder()
            .withMaxTransactionRetryTime(2, TimeUnit.SECONDS)
            .withConnectionTimeout(5, TimeUnit.SECONDS)
            .build());
  }
}
