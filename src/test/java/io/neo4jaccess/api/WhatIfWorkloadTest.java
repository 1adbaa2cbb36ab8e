package io.neo4jaccess.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.neo4jaccess.testing.BrokerTestResource;
import io.neo4jaccess.testing.PolicyAsCodeTestResource;
import io.neo4jaccess.testing.PolicyInForce;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What-if on a recorded workload: 240 exchanges of four projects (protected and unprotected refs,
 * pushes, web and merge request pipelines, with and without an environment) decided by four rules,
 * then three candidate policies. Each report must name exactly the changes that an independent
 * re-evaluation finds: the live broker explaining every job again, first under the policy in force,
 * then with the candidate loaded in its place (its own path: today's GitLab stand-in, not the
 * recorded evidence).
 */
@QuarkusTest
@WithTestResource(PolicyAsCodeTestResource.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WhatIfWorkloadTest {

  static final List<String> PROJECTS =
      List.of("whatif/app1", "whatif/app2", "whatif/app3", "whatif/app4");

  /** One kind of job: ref, its protection, what started the pipeline, its environment. */
  record Kind(String ref, boolean isProtected, String source, String environment) {}

  static final List<Kind> KINDS =
      List.of(
          new Kind("main", true, "push", "production"),
          new Kind("main", true, "push", null),
          new Kind("release/1", true, "push", null),
          new Kind("release/1", true, "web", "production"),
          new Kind("feature/x", false, "push", null),
          new Kind("feature/x", false, "merge_request_event", null));

  /** A job of the workload: its claims, reused to explain it again. */
  record Job(String project, Map<String, Object> claims) {}

  /** What the broker decided for a job: allowed or not, by which rule, with which grant. */
  record Outcome(String rule, String grant) {
    boolean allowed() {
      return rule != null;
    }
  }

  /** A group as the report keys it: project, change, rule now, rule then. */
  record Key(String project, String change, String ruleBefore, String ruleAfter) {}

  final List<Job> workload = new ArrayList<>();
  final Map<Job, Outcome> inForce = new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * Records the workload once for the class, from its first test: Quarkus points rest-assured at
   * the broker's random port only around each test, not in {@code @BeforeAll}.
   */
  void record_the_workload_once() {
    if (!workload.isEmpty()) {
      return;
    }
    long pipeline = 3_000_000 + ThreadLocalRandom.current().nextInt(1_000_000);
    long job = 9_000_000 + ThreadLocalRandom.current().nextInt(1_000_000);
    for (int round = 0; round < 10; round++) {
      for (int p = 0; p < PROJECTS.size(); p++) {
        for (Kind kind : KINDS) {
          workload.add(job(PROJECTS.get(p), 91_001 + p, kind, ++pipeline, ++job));
        }
      }
    }
    // Eight at a time, as a busy pipeline's jobs come.
    inParallel(
        j -> {
          int status =
              given()
                  .header("Authorization", "Bearer " + token(j))
                  .post("/v1/exchange")
                  .then()
                  .extract()
                  .statusCode();
          assertThat(status).as("exchange of %s", j).isIn(200, 403);
        });
    inParallel(j -> inForce.put(j, explain(j)));
    assertThat(inForce.values().stream().filter(Outcome::allowed).count())
        .as("the workload has grants and denials")
        .isBetween(60L, 200L);
  }

  void inParallel(java.util.function.Consumer<Job> each) {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> done = new ArrayList<>();
      workload.forEach(j -> done.add(pool.submit(() -> each.accept(j))));
      for (Future<?> f : done) {
        f.get();
      }
    } catch (InterruptedException | ExecutionException e) {
      throw new IllegalStateException(e);
    } finally {
      pool.shutdownNow();
    }
  }

  static Job job(String project, long projectId, Kind kind, long pipeline, long job) {
    Map<String, Object> c = new HashMap<>();
    c.put("project_path", project);
    c.put("job_project_path", project);
    c.put("project_id", String.valueOf(projectId));
    c.put("job_project_id", String.valueOf(projectId));
    c.put("namespace_path", "whatif");
    c.put("job_namespace_path", "whatif");
    c.put("namespace_id", "9100");
    c.put("job_namespace_id", "9100");
    c.put("ref", kind.ref());
    c.put("ref_path", "refs/heads/" + kind.ref());
    c.put("ref_protected", String.valueOf(kind.isProtected()));
    c.put("pipeline_source", kind.source());
    c.put("environment", kind.environment());
    c.put("pipeline_id", String.valueOf(pipeline));
    c.put("job_id", String.valueOf(job));
    c.put("sub", "project_path:" + project + ":ref_type:branch:ref:" + kind.ref());
    return new Job(project, c);
  }

  static String token(Job j) {
    return BrokerTestResource.gitlab().mint(BrokerTestResource.AUDIENCE, j.claims());
  }

  static Outcome explain(Job j) {
    JsonPath answer =
        given()
            .header("Authorization", "Bearer " + token(j))
            .post("/v1/explain")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    if (!answer.getBoolean("allowed")) {
      return new Outcome(null, null);
    }
    return new Outcome(
        answer.getString("rule"),
        answer.getString("grant.target")
            + "/"
            + answer.getString("grant.database")
            + " full "
            + answer.getLong("grant.ttl_seconds"));
  }

  static JsonPath whatIf(String candidate) {
    String repositoryJob =
        BrokerTestResource.gitlab()
            .mint(
                BrokerTestResource.AUDIENCE,
                Map.of(
                    "project_path", PolicyAsCodeTestResource.POLICY_REPOSITORY,
                    "job_project_path", PolicyAsCodeTestResource.POLICY_REPOSITORY,
                    "namespace_path", "platform",
                    "job_namespace_path", "platform",
                    "pipeline_source", "merge_request_event",
                    "ref", "tighten-policy",
                    "ref_protected", "false"));
    return given()
        .header("Authorization", "Bearer " + repositoryJob)
        .contentType("application/yaml")
        .body(candidate.getBytes(java.nio.charset.StandardCharsets.UTF_8))
        .post("/v1/policy/what-if")
        .then()
        .statusCode(200)
        .extract()
        .jsonPath();
  }

  /** The groups an independent re-evaluation finds: every job explained under the candidate. */
  Map<Key, Integer> reevaluated(String candidate) {
    PolicyInForce.load(candidate);
    try {
      Map<Key, Integer> expected = new TreeMap<>(java.util.Comparator.comparing(Key::toString));
      for (Job j : workload) {
        Outcome before = inForce.get(j);
        Outcome after = explain(j);
        String change =
            before.allowed() && !after.allowed()
                ? "allowed_to_denied"
                : !before.allowed() && after.allowed()
                    ? "denied_to_allowed"
                    : before.allowed() && !Objects.equals(before.grant(), after.grant())
                        ? "grant_changed"
                        : null;
        if (change != null) {
          expected.merge(
              new Key(j.project(), change, before.rule(), after.rule()), 1, Integer::sum);
        }
      }
      return expected;
    } finally {
      PolicyInForce.load(PolicyAsCodeTestResource.INITIAL);
    }
  }

  /** The groups the report gives for the workload's projects. */
  static Map<Key, Integer> reported(JsonPath report) {
    Map<Key, Integer> groups = new TreeMap<>(java.util.Comparator.comparing(Key::toString));
    List<Map<String, Object>> all = report.getList("groups");
    for (Map<String, Object> g : all) {
      if (PROJECTS.contains(g.get("project"))) {
        groups.put(
            new Key(
                (String) g.get("project"),
                (String) g.get("change"),
                (String) g.get("rule_before"),
                (String) g.get("rule_after")),
            (Integer) g.get("jobs"));
      }
    }
    return groups;
  }

  void assert_the_report_is_the_reevaluation(String candidate, String expectedChange) {
    // given the recorded workload
    record_the_workload_once();

    // when the candidate is evaluated against the recorded decisions
    JsonPath report = whatIf(candidate);

    // then its groups for the workload are exactly those the live broker finds job by job
    Map<Key, Integer> expected = reevaluated(candidate);
    assertThat(expected.keySet())
        .as("the candidate changes something, as intended")
        .isNotEmpty()
        .allSatisfy(k -> assertThat(k.change()).isEqualTo(expectedChange));
    assertThat(reported(report)).isEqualTo(expected);
    assertThat(report.getList("groups", Map.class))
        .allSatisfy(g -> assertThat((List<?>) g.get("sample")).hasSizeLessThanOrEqualTo(5));
    assertThat(report.getString("table"))
        .contains(expectedChange.replace("_to_", " -> ").replace('_', ' '));
  }

  @Test
  void tightening_a_ref_rule_reports_exactly_the_jobs_it_would_deny() {
    assert_the_report_is_the_reevaluation(
        PolicyAsCodeTestResource.INITIAL.replace(
            "      ref_protected: true\n    grant: {target: demo, access: full, ttl: 5m}",
            "      ref_protected: true\n      ref: main\n"
                + "    grant: {target: demo, access: full, ttl: 5m}"),
        "allowed_to_denied");
  }

  @Test
  void removing_a_project_reports_exactly_its_jobs_as_denied() {
    assert_the_report_is_the_reevaluation(
        PolicyAsCodeTestResource.INITIAL.replace(
            "namespace_path: \"whatif/**\"",
            "project_path: [whatif/app1, whatif/app2, whatif/app4]"),
        "allowed_to_denied");
  }

  @Test
  void widening_a_ttl_reports_exactly_the_grants_it_would_change() {
    assert_the_report_is_the_reevaluation(
        PolicyAsCodeTestResource.INITIAL.replace(
            "grant: {target: demo, access: full, ttl: 5m}",
            "grant: {target: demo, access: full, ttl: 30m}"),
        "grant_changed");
  }
}
