package io.neo4jaccess.gitlab;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.neo4jaccess.testing.MutableClock;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GitLabProtectionFactsTest {

  static final String INSTANCE = "gitlab";
  static final long PROJECT = 5;
  static final long NAMESPACE = 7;

  static final String BRANCHES = "/api/v4/projects/5/protected_branches";
  static final String TAGS = "/api/v4/projects/5/protected_tags";
  static final String PROJECT_PE = "/api/v4/projects/5/protected_environments/production";
  static final String GROUP_PE = "/api/v4/groups/7/protected_environments/production";
  static final String ENVIRONMENTS = "/api/v4/projects/5/environments";
  static final String JOB = "/api/v4/projects/5/jobs/8";

  WireMockServer gitlab;
  MutableClock clock;
  SimpleMeterRegistry meters;
  TestConfig config;

  @BeforeEach
  void startGitLab() {
    gitlab = new WireMockServer(wireMockConfig().dynamicPort());
    gitlab.start();
    clock = new MutableClock();
    meters = new SimpleMeterRegistry();
    config =
        TestConfig.of(
            INSTANCE, TestConfig.TestInstance.withToken(gitlab.baseUrl(), "glpat-test-token"));
  }

  @AfterEach
  void stopGitLab() {
    gitlab.stop();
  }

  /** Background refreshes the broker would run on its executor; the tests run them when told. */
  final java.util.List<Runnable> refreshes = new java.util.ArrayList<>();

  /** The clients the last {@link #facts()} was built on; {@link #jobs()} shares them. */
  GitLabClients clients;

  GitLabProtectionFacts facts() {
    clients = new GitLabClients(config, clock, meters, refreshes::add);
    return new GitLabProtectionFacts(clients);
  }

  GitLabJobStatuses jobs() {
    return new GitLabJobStatuses(clients);
  }

  void runRefreshes() {
    var queued = java.util.List.copyOf(refreshes);
    refreshes.clear();
    queued.forEach(Runnable::run);
  }

  static CiJob branch(String ref) {
    return job(ref, "branch", "production", "production");
  }

  static CiJob tag(String ref) {
    return job(ref, "tag", "production", "production");
  }

  static CiJob deployTo(String environment, String tier) {
    return job("main", "branch", environment, tier);
  }

  static CiJob job(String ref, String refType, String environment, String tier) {
    return new CiJob(
        INSTANCE,
        new CiJob.Project(PROJECT, "group/project", NAMESPACE),
        new CiJob.Pipeline(1001, "push"),
        5000,
        new CiJob.Ref(ref, refType),
        null,
        "alice",
        environment == null ? null : new CiJob.Environment(environment, tier, null));
  }

  static String fixture(String name) {
    try (InputStream in = GitLabProtectionFactsTest.class.getResourceAsStream("/gitlab/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  void stub(String path, String fixture) {
    gitlab.stubFor(get(urlPathEqualTo(path)).willReturn(okJson(fixture(fixture))));
  }

  void stubStatus(String path, int status, String fixture) {
    gitlab.stubFor(
        get(urlPathEqualTo(path))
            .willReturn(
                aResponse()
                    .withStatus(status)
                    .withHeader("Content-Type", "application/json")
                    .withBody(fixture(fixture))));
  }

  int requests(String path) {
    return gitlab.countRequestsMatching(getRequestedFor(urlPathEqualTo(path)).build()).getCount();
  }

  int allRequests() {
    return gitlab.getAllServeEvents().size();
  }

  /** Premium GitLab where "production" is protected for maintainers at project level only. */
  void stubPremiumProduction() {
    stub(BRANCHES, "protected_branches.json");
    stub(PROJECT_PE, "protected_environment_maintainers.json");
    stubStatus(GROUP_PE, 404, "error_404.json");
    gitlab.stubFor(
        get(urlPathEqualTo(ENVIRONMENTS))
            .withQueryParam("name", equalTo("production"))
            .willReturn(
                okJson(
                    fixture("environments_by_name.json").replace("review/fix-foo", "production"))));
  }

  @Nested
  class ProtectedRefs {

    @Test
    void branch_covered_by_wildcard_rule_is_protected() {
      // Given GitLab protects "main" and "release/*"
      stub(BRANCHES, "protected_branches.json");

      // When the job runs on release/1.0
      Fact<Boolean> fact = facts().refProtected(branch("release/1.0"));

      // Then the wildcard rule covers it, read from GitLab
      assertThat(fact).isEqualTo(Fact.of(true, Fact.Source.GITLAB));
    }

    @Test
    void branch_not_covered_by_any_rule_is_not_protected() {
      // Given GitLab protects "main" and "release/*"
      stub(BRANCHES, "protected_branches.json");

      // When the job runs on a feature branch whose name merely contains "release"
      Fact<Boolean> fact = facts().refProtected(branch("prerelease/1.0"));

      // Then no rule covers it
      assertThat(fact).isEqualTo(Fact.of(false, Fact.Source.GITLAB));
    }

    @Test
    void protected_tag_is_protected() {
      // Given GitLab protects the tag "release-1-0"
      stub(TAGS, "protected_tags.json");

      // When the job runs on that tag
      Fact<Boolean> fact = facts().refProtected(tag("release-1-0"));

      // Then it is protected, and branches were never read
      assertThat(fact).isEqualTo(Fact.of(true, Fact.Source.GITLAB));
      assertThat(requests(BRANCHES)).isZero();
    }

    @Test
    void tag_without_rule_is_not_protected() {
      // Given GitLab protects only the tag "release-1-0"
      stub(TAGS, "protected_tags.json");

      // When the job runs on another tag
      Fact<Boolean> fact = facts().refProtected(tag("v2.0.0"));

      // Then it is not protected
      assertThat(fact).isEqualTo(Fact.of(false, Fact.Source.GITLAB));
    }

    @Test
    void every_page_of_protected_branches_is_read() {
      // Given GitLab lists "main" on page 1 and says there is a page 2 holding "release/*"
      gitlab.stubFor(
          get(urlPathEqualTo(BRANCHES))
              .withQueryParam("page", equalTo("1"))
              .willReturn(
                  okJson(fixture("protected_branches.json").replace("release/*", "main2"))
                      .withHeader("X-Next-Page", "2")));
      gitlab.stubFor(
          get(urlPathEqualTo(BRANCHES))
              .withQueryParam("page", equalTo("2"))
              .willReturn(okJson(fixture("protected_branches.json"))));

      // When the job runs on release/2.0
      Fact<Boolean> fact = facts().refProtected(branch("release/2.0"));

      // Then the rule on page 2 counts, at one call per page of 100
      assertThat(fact).isEqualTo(Fact.of(true, Fact.Source.GITLAB));
      assertThat(requests(BRANCHES)).isEqualTo(2);
      gitlab.verify(
          getRequestedFor(urlPathEqualTo(BRANCHES)).withQueryParam("per_page", equalTo("100")));
    }
  }

  @Nested
  class ProtectedEnvironments {

    @Test
    void project_level_protection_for_maintainers() {
      // Given "production" is protected at project level for maintainers, nothing at group level
      stub(PROJECT_PE, "protected_environment_maintainers.json");
      stubStatus(GROUP_PE, 404, "error_404.json");
      GitLabProtectionFacts facts = facts();
      CiJob job = deployTo("production", "production");

      // When the protection facts are read
      // Then it is protected, maintainers (40) deploy, no approvals
      assertThat(facts.environmentProtected(job).value()).isTrue();
      assertThat(facts.deployersAccessLevel(job).value()).isEqualTo(40);
      assertThat(facts.requiredApprovals(job).value()).isZero();
    }

    @Test
    void project_level_protection_for_developers() {
      // Given developers (30) may deploy to "production"
      stub(PROJECT_PE, "protected_environment_developers.json");
      stubStatus(GROUP_PE, 404, "error_404.json");

      // When the deployers level is read
      Fact<Integer> fact = facts().deployersAccessLevel(deployTo("production", "production"));

      // Then it is 30
      assertThat(fact).isEqualTo(Fact.of(30, Fact.Source.GITLAB));
    }

    @Test
    void approval_rules_add_up_and_group_only_deployers_count_as_strictest() {
      // Given only group 9899826 may deploy, and two approval rules need 1 and 2 approvals
      stub(PROJECT_PE, "protected_environment_approval_rules.json");
      stubStatus(GROUP_PE, 404, "error_404.json");
      GitLabProtectionFacts facts = facts();
      CiJob job = deployTo("production", "production");

      // When the facts are read
      // Then 3 approvals are required, and no role may deploy (a named group is not a role)
      assertThat(facts.requiredApprovals(job).value()).isEqualTo(3);
      assertThat(facts.deployersAccessLevel(job).value()).isEqualTo(60);
    }

    @Test
    void unified_approval_count_is_used_when_there_are_no_rules() {
      // Given a protected environment with required_approval_count 2 and no approval rules
      stub(PROJECT_PE, "protected_environment_unified_approvals.json");
      stubStatus(GROUP_PE, 404, "error_404.json");

      // When the approvals are read
      Fact<Integer> fact = facts().requiredApprovals(deployTo("production", "production"));

      // Then 2 are required
      assertThat(fact.value()).isEqualTo(2);
    }

    @Test
    void group_level_protection_by_tier_protects_an_unprotected_project_environment() {
      // Given the project does not protect "prod-eu", but its group protects the production tier
      stubStatus("/api/v4/projects/5/protected_environments/prod%2Deu", 404, "error_404.json");
      stub(GROUP_PE, "group_protected_environment.json");
      GitLabProtectionFacts facts = facts();
      CiJob job = deployTo("prod-eu", "production");

      // When the facts are read
      // Then the environment is protected by tier, maintainers deploy
      assertThat(facts.environmentProtected(job).value()).isTrue();
      assertThat(facts.deployersAccessLevel(job).value()).isEqualTo(40);
      assertThat(requests(GROUP_PE)).isEqualTo(1);
    }

    @Test
    void both_levels_apply_the_stricter_deployers_win() {
      // Given developers may deploy at project level but the group demands maintainers
      stub(PROJECT_PE, "protected_environment_developers.json");
      stub(GROUP_PE, "group_protected_environment.json");

      // When the deployers level is read
      Fact<Integer> fact = facts().deployersAccessLevel(deployTo("production", "production"));

      // Then maintainers (40): GitLab requires every protection to allow the deployer
      assertThat(fact.value()).isEqualTo(40);
    }

    @Test
    void environment_name_with_slash_is_one_path_segment() {
      // Given "review/fix-foo" is protected at project level (gitlab4j's urlEncode also escapes
      // "-", "." and "_"; GitLab decodes them like any percent-encoding)
      gitlab.stubFor(
          get(urlPathEqualTo("/api/v4/projects/5/protected_environments/review%2Ffix%2Dfoo"))
              .willReturn(okJson(fixture("protected_environment_maintainers.json"))));
      stubStatus("/api/v4/groups/7/protected_environments/development", 404, "error_404.json");

      // When its protection is read
      Fact<Boolean> fact = facts().environmentProtected(deployTo("review/fix-foo", "development"));
      // Then the name was sent URL-encoded as one segment, and found
      assertThat(fact).isEqualTo(Fact.of(true, Fact.Source.GITLAB));
    }

    @Test
    void free_answering403_is_unprotected() {
      // Given GitLab Free, which refuses the Premium endpoints with 403
      stubStatus(PROJECT_PE, 403, "error_403.json");
      stubStatus(GROUP_PE, 403, "error_403.json");
      GitLabProtectionFacts facts = facts();
      CiJob job = deployTo("production", "production");

      // When the facts are read
      // Then they are facts, not errors: unprotected, developers deploy, no approvals
      assertThat(facts.environmentProtected(job)).isEqualTo(Fact.of(false, Fact.Source.GITLAB));
      assertThat(facts.deployersAccessLevel(job).value()).isEqualTo(30);
      assertThat(facts.requiredApprovals(job).value()).isZero();
    }

    @Test
    void a_403_from_the_protected_environments_api_warns_once_naming_the_instance() {
      // Given a GitLab whose protected-environments API refuses the broker's token
      stubStatus(PROJECT_PE, 403, "error_403.json");
      stubStatus(GROUP_PE, 403, "error_403.json");
      stubStatus("/api/v4/projects/5/protected_environments/staging", 403, "error_403.json");
      stubStatus("/api/v4/groups/7/protected_environments/staging", 403, "error_403.json");
      GitLabProtectionFacts facts = facts();
      List<LogRecord> warnings = new ArrayList<>();
      Logger log = Logger.getLogger(GitLabClient.class.getName());
      Handler capture =
          new Handler() {
            @Override
            public void publish(LogRecord r) {
              if (r.getLevel().intValue() >= Level.WARNING.intValue()) {
                warnings.add(r);
              }
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
          };
      log.addHandler(capture);
      try {
        // When two environments' protection is read
        facts.environmentProtected(deployTo("production", "production"));
        facts.environmentProtected(deployTo("staging", "staging"));
      } finally {
        log.removeHandler(capture);
      }

      // Then the operator is told once, with the instance's name and what to check
      assertThat(warnings)
          .singleElement()
          .extracting(LogRecord::getMessage)
          .asString()
          .contains("instance=" + INSTANCE, "403", "Maintainer");
    }

    @Test
    void free_answering404_is_unprotected() {
      // Given GitLab Free, which answers 404 on the Premium endpoints
      stubStatus(PROJECT_PE, 404, "error_404.json");
      stubStatus(GROUP_PE, 404, "error_404.json");

      // When protection is read
      Fact<Boolean> fact = facts().environmentProtected(deployTo("production", "production"));

      // Then the environment is not protected
      assertThat(fact).isEqualTo(Fact.of(false, Fact.Source.GITLAB));
    }

    @Test
    void job_without_environment_has_no_environment_facts_and_costs_no_call() {
      // Given a job without an environment
      CiJob job = job("main", "branch", null, null);

      // When its environment facts are read
      Fact<Boolean> fact = facts().environmentProtected(job);

      // Then they are unavailable and GitLab was not asked
      assertThat(fact.available()).isFalse();
      assertThat(fact.unavailable()).isEqualTo("job has no environment");
      assertThat(allRequests()).isZero();
    }
  }

  @Nested
  class EnvironmentsAndJobs {

    @Test
    void environment_tier_is_read_from_git_lab() {
      // Given the environment "review/fix-foo" of tier development
      stub(ENVIRONMENTS, "environments_by_name.json");

      // When its tier is read
      Fact<String> fact = facts().environmentTier(deployTo("review/fix-foo", "development"));

      // Then GitLab's tier is returned, looked up by exact name
      assertThat(fact).isEqualTo(Fact.of("development", Fact.Source.GITLAB));
      gitlab.verify(
          getRequestedFor(urlPathEqualTo(ENVIRONMENTS))
              .withQueryParam("name", equalTo("review/fix-foo")));
    }

    @Test
    void stopping_state_is_read_as_a_string_not_lost() {
      // Given an environment in state "stopping", which gitlab4j's enum does not know
      stub(ENVIRONMENTS, "environments_by_name_stopping.json");

      // When its state is read
      Fact<String> fact = facts().environmentState(deployTo("review/fix-foo", "development"));

      // Then it is "stopping", not null
      assertThat(fact).isEqualTo(Fact.of("stopping", Fact.Source.GITLAB));
    }

    @Test
    void job_status_is_read_as_a_string_and_never_cached() {
      // Given a job whose status is "canceling", which gitlab4j's JobStatus does not know
      stub(JOB, "job_canceling.json");
      GitLabProtectionFacts facts = facts();

      // When its status is read twice
      Fact<String> first = jobs().status(INSTANCE, PROJECT, 8);
      Fact<String> second = jobs().status(INSTANCE, PROJECT, 8);

      // Then both read GitLab and see "canceling"
      assertThat(first).isEqualTo(Fact.of("canceling", Fact.Source.GITLAB));
      assertThat(second).isEqualTo(first);
      assertThat(requests(JOB)).isEqualTo(2);
    }

    @Test
    void a_job_gitlab_answers_404_for_is_gone() {
      // Given the job, or its project, was deleted: GitLab answers 404
      stubStatus(JOB, 404, "error_404.json");
      facts();

      // When its status is read
      Fact<String> status = jobs().status(INSTANCE, PROJECT, 8);

      // Then it is the fact "gone", not an unavailable GitLab
      assertThat(status).isEqualTo(Fact.of("gone", Fact.Source.GITLAB));
    }
  }

  @Nested
  class Failures {

    @Test
    void server_error_is_unavailable() {
      // Given GitLab answers 500
      gitlab.stubFor(get(urlPathEqualTo(BRANCHES)).willReturn(aResponse().withStatus(500)));

      // When a fact is read
      Fact<Boolean> fact = facts().refProtected(branch("main"));

      // Then it is unavailable, with a short reason
      assertThat(fact).isEqualTo(Fact.unavailable("gitlab http 500"));
    }

    @Test
    void slow_answer_is_a_timeout() {
      // Given GitLab answers after 2 s and the broker waits at most 200 ms
      config = config.withApiTimeout(Duration.ofMillis(200));
      gitlab.stubFor(
          get(urlPathEqualTo(BRANCHES))
              .willReturn(okJson(fixture("protected_branches.json")).withFixedDelay(2000)));

      // When a fact is read
      Fact<Boolean> fact = facts().refProtected(branch("main"));

      // Then it is unavailable because of the timeout
      assertThat(fact).isEqualTo(Fact.unavailable("gitlab timeout"));
    }

    @Test
    void unreachable_git_lab_is_unavailable() {
      // Given nothing listens where GitLab should be
      int port = gitlab.port();
      gitlab.stop();
      config =
          TestConfig.of(
              INSTANCE, TestConfig.TestInstance.withToken("http://127.0.0.1:" + port, "t"));

      // When a fact is read
      Fact<Boolean> fact = facts().refProtected(branch("main"));

      // Then it is unavailable
      assertThat(fact).isEqualTo(Fact.unavailable("gitlab unreachable"));
      gitlab.start(); // for @AfterEach
    }

    @Test
    void rate_limit_stops_all_calls_until_retry_after_passes() {
      // Given GitLab answers 429 with Retry-After: 30
      gitlab.stubFor(
          get(urlPathEqualTo(BRANCHES))
              .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "30")));
      GitLabProtectionFacts facts = facts();
      assertThat(facts.refProtected(branch("main")))
          .isEqualTo(Fact.unavailable("gitlab rate limited"));

      // When facts are read again within 30 s, even other endpoints of that instance
      clock.advance(Duration.ofSeconds(29));
      Fact<Boolean> during = facts.refProtected(branch("main"));
      Fact<String> job = jobs().status(INSTANCE, PROJECT, 8);

      // Then they are unavailable at once and GitLab saw no further request
      assertThat(during).isEqualTo(Fact.unavailable("gitlab rate limited"));
      assertThat(job).isEqualTo(Fact.unavailable("gitlab rate limited"));
      assertThat(allRequests()).isEqualTo(1);
    }

    @Test
    void calls_resume_once_retry_after_has_passed() {
      // Given GitLab answered 429 with Retry-After: 30 and has recovered since
      gitlab.stubFor(
          get(urlPathEqualTo(BRANCHES))
              .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "30")));
      GitLabProtectionFacts facts = facts();
      facts.refProtected(branch("main"));
      gitlab.resetMappings();
      stub(BRANCHES, "protected_branches.json");

      // When 30 s have passed
      clock.advance(Duration.ofSeconds(30));
      Fact<Boolean> fact = facts.refProtected(branch("main"));

      // Then GitLab is asked again
      assertThat(fact).isEqualTo(Fact.of(true, Fact.Source.GITLAB));
      assertThat(requests(BRANCHES)).isEqualTo(2);
    }

    @Test
    void instance_without_token_has_no_facts_and_makes_no_call() {
      // Given an instance configured without an API token
      config =
          TestConfig.of(
              INSTANCE,
              new TestConfig.TestInstance(gitlab.baseUrl(), Optional.empty(), Optional.empty()));

      // When facts are read
      GitLabProtectionFacts facts = facts();

      // Then each is unavailable for that reason, and GitLab was never called
      assertThat(facts.refProtected(branch("main"))).isEqualTo(Fact.unavailable("no api token"));
      assertThat(facts.environmentTier(deployTo("production", "production")))
          .isEqualTo(Fact.unavailable("no api token"));
      assertThat(jobs().status(INSTANCE, PROJECT, 8)).isEqualTo(Fact.unavailable("no api token"));
      assertThat(allRequests()).isZero();
    }

    @Test
    void unknown_instance_is_unavailable() {
      // Given a job from an instance that is not configured
      CiJob job =
          new CiJob(
              "other",
              new CiJob.Project(PROJECT, "group/project", NAMESPACE),
              new CiJob.Pipeline(1001, "push"),
              5000,
              new CiJob.Ref("main", "branch"),
              null,
              "alice",
              null);

      // When a fact is read
      // Then it is unavailable
      assertThat(facts().refProtected(job)).isEqualTo(Fact.unavailable("unknown gitlab instance"));
    }
  }

  @Nested
  class Tokens {

    @Test
    void token_file_wins_over_inline_token(@TempDir Path dir) throws IOException {
      // Given a token file and an inline token
      Path file = dir.resolve("token");
      Files.writeString(file, "glpat-from-file\n");
      config =
          TestConfig.of(
              INSTANCE,
              new TestConfig.TestInstance(
                  gitlab.baseUrl(), Optional.of("glpat-inline"), Optional.of(file)));
      stub(BRANCHES, "protected_branches.json");

      // When GitLab is called
      facts().refProtected(branch("main"));

      // Then the file's token (without its newline) is sent
      gitlab.verify(
          getRequestedFor(urlPathEqualTo(BRANCHES))
              .withHeader("PRIVATE-TOKEN", equalTo("glpat-from-file")));
    }
  }

  @Nested
  class Cache {

    @Test
    void cold_exchange_costs_four_calls() {
      // Given Premium GitLab and an empty cache
      stubPremiumProduction();
      GitLabProtectionFacts facts = facts();
      CiJob job = branch("main");

      // When one exchange reads all five facts
      readExchangeFacts(facts, job);

      // Then GitLab saw 4 calls: branches, project and group protection, environment
      assertThat(allRequests()).isEqualTo(4);
      assertThat(requests(BRANCHES)).isEqualTo(1);
      assertThat(requests(PROJECT_PE)).isEqualTo(1);
      assertThat(requests(GROUP_PE)).isEqualTo(1);
      assertThat(requests(ENVIRONMENTS)).isEqualTo(1);
    }

    @Test
    void concurrent_cold_reads_share_one_call() throws Exception {
      // Given GitLab answers slowly, so that eight exchanges of one project all miss the cache
      gitlab.stubFor(
          get(urlPathEqualTo(BRANCHES))
              .willReturn(okJson(fixture("protected_branches.json")).withFixedDelay(300)));
      GitLabProtectionFacts facts = facts();
      var pool = java.util.concurrent.Executors.newFixedThreadPool(8);
      var start = new java.util.concurrent.CountDownLatch(1);
      var reads = new java.util.ArrayList<java.util.concurrent.Future<Fact<Boolean>>>();

      // When they read the same fact at once
      for (int i = 0; i < 8; i++) {
        reads.add(
            pool.submit(
                () -> {
                  start.await();
                  return facts.refProtected(branch("main"));
                }));
      }
      start.countDown();

      // Then all get the answer and GitLab saw one call
      for (var read : reads) {
        assertThat(read.get().value()).isTrue();
      }
      pool.shutdown();
      assertThat(requests(BRANCHES)).isEqualTo(1);
    }

    @Test
    void warm_cache_makes_no_call() {
      // Given one exchange warmed the cache
      stubPremiumProduction();
      GitLabProtectionFacts facts = facts();
      CiJob job = branch("main");
      readExchangeFacts(facts, job);
      gitlab.resetRequests();

      // When a second exchange for the same job reads the same facts
      var second = readExchangeFacts(facts, job);

      // Then GitLab is not called and every fact says it came from the cache
      assertThat(allRequests()).isZero();
      assertThat(second).allSatisfy(f -> assertThat(f.source()).isEqualTo(Fact.Source.CACHE));
    }

    @Test
    void fresh_cached_fact_survives_a_git_lab_outage() {
      // Given a cached fact, and GitLab failing since
      stub(BRANCHES, "protected_branches.json");
      GitLabProtectionFacts facts = facts();
      facts.refProtected(branch("main"));
      gitlab.stubFor(get(urlPathEqualTo(BRANCHES)).willReturn(aResponse().withStatus(503)));

      // When the fact is read within its TTL
      Fact<Boolean> fact = facts.refProtected(branch("main"));

      // Then the cached value answers
      assertThat(fact).isEqualTo(Fact.of(true, Fact.Source.CACHE));
    }

    @Test
    void expired_fact_is_read_again() {
      // Given a fact cached with a 60 s TTL
      stub(BRANCHES, "protected_branches.json");
      GitLabProtectionFacts facts = facts();
      facts.refProtected(branch("main"));

      // When 60 s have passed
      clock.advance(Duration.ofSeconds(60));
      Fact<Boolean> fact = facts.refProtected(branch("main"));

      // Then GitLab is read again
      assertThat(fact.source()).isEqualTo(Fact.Source.GITLAB);
      assertThat(requests(BRANCHES)).isEqualTo(2);
    }

    @Test
    void expired_fact_is_not_served_when_git_lab_fails() {
      // Given a cached fact that has expired, and GitLab failing since
      stub(BRANCHES, "protected_branches.json");
      GitLabProtectionFacts facts = facts();
      facts.refProtected(branch("main"));
      gitlab.stubFor(get(urlPathEqualTo(BRANCHES)).willReturn(aResponse().withStatus(502)));
      clock.advance(Duration.ofSeconds(61));

      // When the fact is read
      Fact<Boolean> fact = facts.refProtected(branch("main"));

      // Then it is unavailable: a stale fact does not count
      assertThat(fact).isEqualTo(Fact.unavailable("gitlab http 502"));
    }

    @Test
    void
        fact_in_the_last_quarter_of_its_ttl_answers_from_the_cache_and_is_read_again_in_the_background() {
      // Given a fact cached with a 60 s TTL, read again 50 s later
      stub(BRANCHES, "protected_branches.json");
      GitLabProtectionFacts facts = facts();
      facts.refProtected(branch("main"));
      clock.advance(Duration.ofSeconds(50));

      // When an exchange reads it (and a second one, before the refresh ran)
      Fact<Boolean> fact = facts.refProtected(branch("main"));
      facts.refProtected(branch("main"));

      // Then the cached value answers at once, and one refresh is queued, not yet made
      assertThat(fact).isEqualTo(Fact.of(true, Fact.Source.CACHE));
      assertThat(requests(BRANCHES)).isEqualTo(1);
      assertThat(refreshes).hasSize(1);

      // When the refresh runs, the fact is fresh again: at 100 s (past the first read's 60 s)
      // it still answers from the cache without a call
      runRefreshes();
      assertThat(requests(BRANCHES)).isEqualTo(2);
      clock.advance(Duration.ofSeconds(50));
      assertThat(facts.refProtected(branch("main"))).isEqualTo(Fact.of(true, Fact.Source.CACHE));
      assertThat(requests(BRANCHES)).isEqualTo(2);
      assertThat(reads("cache")).isEqualTo(3);
      assertThat(reads("gitlab")).isEqualTo(1);
    }

    @Test
    void failed_background_refresh_leaves_the_fact_to_expire_at_its_ttl() {
      // Given a cached fact due for a refresh, and GitLab failing since
      stub(BRANCHES, "protected_branches.json");
      GitLabProtectionFacts facts = facts();
      facts.refProtected(branch("main"));
      gitlab.stubFor(get(urlPathEqualTo(BRANCHES)).willReturn(aResponse().withStatus(503)));
      clock.advance(Duration.ofSeconds(50));
      assertThat(facts.refProtected(branch("main")).source()).isEqualTo(Fact.Source.CACHE);

      // When the refresh fails, and the first read's TTL runs out
      runRefreshes();
      assertThat(requests(BRANCHES)).isEqualTo(2);
      clock.advance(Duration.ofSeconds(10));
      Fact<Boolean> fact = facts.refProtected(branch("main"));

      // Then the fact is unavailable, as without refreshes: nothing outlives its TTL
      assertThat(fact).isEqualTo(Fact.unavailable("gitlab http 503"));
    }

    double reads(String source) {
      var counter = meters.find(CachedFacts.READS_METRIC).tag("source", source).counter();
      return counter == null ? 0 : counter.count();
    }

    @Test
    void invalidated_project_is_read_again() {
      // Given a cached fact
      stub(BRANCHES, "protected_branches.json");
      GitLabProtectionFacts facts = facts();
      facts.refProtected(branch("main"));

      // When a webhook invalidates the project
      facts.invalidate(INSTANCE, PROJECT);
      Fact<Boolean> fact = facts.refProtected(branch("main"));

      // Then GitLab is read again
      assertThat(fact.source()).isEqualTo(Fact.Source.GITLAB);
      assertThat(requests(BRANCHES)).isEqualTo(2);
    }

    @Test
    void cache_holds_at_most_the_configured_number_of_projects() {
      // Given a cache for one project, and two projects
      config = config.withCacheSize(1);
      stub(BRANCHES, "protected_branches.json");
      stub("/api/v4/projects/6/protected_branches", "protected_branches.json");
      GitLabProtectionFacts facts = facts();
      CiJob other =
          new CiJob(
              INSTANCE,
              new CiJob.Project(6, "group/other", NAMESPACE),
              new CiJob.Pipeline(1001, "push"),
              5000,
              new CiJob.Ref("main", "branch"),
              null,
              "alice",
              null);

      // When project 5, then project 6, then project 5 again are read
      facts.refProtected(branch("main"));
      facts.refProtected(other);
      Fact<Boolean> again = facts.refProtected(branch("main"));

      // Then project 5 was evicted by project 6 and read again; one project is cached
      assertThat(again.source()).isEqualTo(Fact.Source.GITLAB);
      assertThat(requests(BRANCHES)).isEqualTo(2);
      assertThat(clients.cachedProjects(INSTANCE)).isEqualTo(1);
    }

    @Test
    void calls_are_counted_by_endpoint_and_status() {
      // Given Premium GitLab and an empty cache
      stubPremiumProduction();

      // When one exchange reads its facts
      readExchangeFacts(facts(), branch("main"));

      // Then each call is counted with its endpoint and status
      assertThat(count("protected_branches", "200")).isEqualTo(1);
      assertThat(count("protected_environment", "200")).isEqualTo(1);
      assertThat(count("group_protected_environment", "404")).isEqualTo(1);
      assertThat(count("environments", "200")).isEqualTo(1);
    }

    double count(String endpoint, String status) {
      var counter =
          meters
              .find(GitLabClient.METRIC)
              .tag("endpoint", endpoint)
              .tag("status", status)
              .counter();
      return counter == null ? 0 : counter.count();
    }

    java.util.List<Fact<?>> readExchangeFacts(GitLabProtectionFacts facts, CiJob job) {
      return java.util.List.of(
          facts.refProtected(job),
          facts.environmentProtected(job),
          facts.deployersAccessLevel(job),
          facts.requiredApprovals(job),
          facts.environmentTier(job));
    }
  }

  /** The rehearsal at start: one request per instance, through the client facts are read with. */
  @Nested
  class Rehearsal {

    @Test
    void the_rehearsal_reads_gitlabs_version_through_the_facts_client() {
      // given
      gitlab.stubFor(
          get(urlPathEqualTo("/api/v4/version"))
              .willReturn(okJson("{\"version\":\"18.6.0\",\"revision\":\"4e963fe\"}")));
      facts();

      // when
      clients.rehearse();

      // then
      gitlab.verify(
          1,
          getRequestedFor(urlPathEqualTo("/api/v4/version"))
              .withHeader("PRIVATE-TOKEN", equalTo("glpat-test-token")));
    }

    @Test
    void a_gitlab_that_fails_the_rehearsal_read_fails_nothing_else() {
      // given
      gitlab.stubFor(
          get(urlPathEqualTo("/api/v4/version")).willReturn(aResponse().withStatus(500)));
      gitlab.stubFor(
          get(urlPathEqualTo(BRANCHES)).willReturn(okJson(fixture("protected_branches.json"))));
      GitLabProtectionFacts facts = facts();

      // when
      clients.rehearse();

      // then
      assertThat(facts.refProtected(branch("main")).available()).isTrue();
    }
  }
}
