package io.neo4jaccess.exchange;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.neo4jaccess.gitlab.ProtectionFacts;
import io.neo4jaccess.testing.BrokerTestResource;
import io.neo4jaccess.testing.GitLabStandIn;
import io.neo4jaccess.testing.SharedNeo4j;
import io.neo4jaccess.testing.StateProbe;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.neo4j.driver.Session;

/**
 * The facts of recently decided jobs read into the cache before readiness, in the broker as it
 * runs. Each test empties the project's cache entries first, as a start finds them.
 */
@QuarkusTest
@WithTestResource(BrokerTestResource.class)
@TestProfile(FactPrefetchTest.Prefetching.class)
class FactPrefetchTest {

  /** The test broker with the prefetch on, as it is outside tests. */
  public static class Prefetching implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("broker.gitlab.fact-prefetch-size", "50");
    }
  }

  /** Projects of this class only, so that no other test's cached facts count here. */
  private static final AtomicLong PROJECTS = new AtomicLong(94_000);

  private static final AtomicLong JOBS = new AtomicLong(9_400_000);

  @Inject FactPrefetch prefetch;
  @Inject ProtectionFacts facts;

  private final GitLabStandIn gitlab = BrokerTestResource.gitlab();

  /** Readiness waits for the prefetch at start, which must not run alongside a test's. */
  @BeforeEach
  void ready() {
    Awaitility.await()
        .atMost(Duration.ofMinutes(1))
        .until(() -> given().get("/q/health/ready").statusCode() == 200);
  }

  @AfterEach
  void healGitLab() {
    gitlab.failApi(0);
  }

  @Test
  void after_the_prefetch_the_next_job_of_a_recently_seen_project_makes_no_gitlab_call() {
    // given: a job of the project was decided, and the broker's cache is empty as after a start
    long project = recentlySeenProject();
    prefetch.run();
    int callsBefore = gitlab.apiCalls();

    // when
    exchange(project);

    // then
    assertThat(gitlab.apiCalls()).isEqualTo(callsBefore);
  }

  @Test
  void without_the_prefetch_that_job_would_ask_gitlab() {
    // given
    long project = recentlySeenProject();
    int callsBefore = gitlab.apiCalls();

    // when
    exchange(project);

    // then
    assertThat(gitlab.apiCalls()).isGreaterThan(callsBefore);
  }

  @Test
  void when_gitlab_does_not_answer_the_prefetch_ends_and_caches_nothing() {
    // given
    long project = recentlySeenProject();
    gitlab.failApi(500);

    // when
    prefetch.run();

    // then: the next job of the project asks GitLab, now healed
    gitlab.failApi(0);
    int callsBefore = gitlab.apiCalls();
    exchange(project);
    assertThat(gitlab.apiCalls()).isGreaterThan(callsBefore);
  }

  @Test
  void readiness_stays_up_after_a_prefetch_while_gitlab_does_not_answer() {
    // given
    recentlySeenProject();
    gitlab.failApi(500);

    // when
    prefetch.run();

    // then
    given().get("/q/health/ready").then().statusCode(200);
  }

  @Test
  void the_prefetch_writes_nothing_to_the_state_store_and_creates_no_user() {
    // given
    recentlySeenProject();
    Map<String, Object> stateBefore = stateCounts();
    List<String> usersBefore = StateProbe.brokerUsers();

    // when
    prefetch.run();

    // then
    assertThat(stateCounts()).isEqualTo(stateBefore);
    assertThat(StateProbe.brokerUsers()).containsExactlyInAnyOrderElementsOf(usersBefore);
  }

  /**
   * A project one of whose jobs was just decided, its facts dropped from the cache as at a start.
   */
  private long recentlySeenProject() {
    long project = PROJECTS.incrementAndGet();
    exchange(project);
    facts.invalidate("main", project);
    return project;
  }

  /** Exchanges a new job's token of {@code project}, a project the test policy grants. */
  private void exchange(long project) {
    String token =
        gitlab.mint(
            BrokerTestResource.AUDIENCE,
            Map.of(
                "project_id", String.valueOf(project),
                "job_project_id", String.valueOf(project),
                "project_path", "demo/prefetch-" + project,
                "job_project_path", "demo/prefetch-" + project,
                "job_id", String.valueOf(JOBS.incrementAndGet())));
    given().header("Authorization", "Bearer " + token).post("/v1/exchange").then().statusCode(200);
  }

  private static Map<String, Object> stateCounts() {
    try (Session s = SharedNeo4j.stateAdmin().session()) {
      return s.run(
              "RETURN COUNT { (:Lease) } AS leases, COUNT { (:Decision) } AS decisions,"
                  + " COUNT { (:Job) } AS jobs, COUNT { (:UsedJti) } AS jtis")
          .single()
          .asMap();
    }
  }
}
