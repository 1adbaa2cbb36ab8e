package io.neo4jaccess.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.neo4jaccess.gitlab.ProtectionFacts;
import io.neo4jaccess.policy.Decision.Result;
import io.neo4jaccess.token.GitLabClaims;
import io.neo4jaccess.token.GitLabClaimsReader;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The decision table: rules and claim sets with the decision each must give. Pure logic. */
class PolicyEvaluatorTest {

  static final String POLICY =
      """
      rules:
        - name: production-deploys
          when:
            project_path: "platform/*"
            ref_protected: true
            environment: production
            environment_protected: true
            deployers: maintainer
            pipeline_source: [push, web]
          grant: {target: production, roles: [publisher], ttl: 15m}
        - name: release-branches-read
          when:
            project_path: "platform/*"
            ref: "release/*"
            ref_protected: true
          grant: {target: production, roles: [reader], ttl: 10m}
        - name: merge-requests-read-staging
          when:
            namespace_path: "platform/**"
            pipeline_source: merge_request_event
            fork: false
          grant: {target: staging, access: full, ttl: 10m}
        - name: admins-by-id
          when:
            project_id: [99, 100]
            user_access_level: owner
          grant: {target: staging, access: full, ttl: 5m}
      """;

  /** What an Enterprise target can limit to one database. */
  static final java.util.Set<String> ENTERPRISE_ROLES =
      java.util.Set.of("reader", "editor", "publisher", "architect");

  static final Map<String, TargetLimits> TARGETS =
      Map.of(
          "production", new TargetLimits(Duration.ofHours(1), ENTERPRISE_ROLES, "neo4j", false),
          "staging", new TargetLimits(Duration.ofMinutes(30), java.util.Set.of(), "neo4j", false),
          "gated", new TargetLimits(Duration.ofMinutes(30), java.util.Set.of(), "neo4j", true));

  static Policy policy() {
    return new PolicyLoader(t -> Optional.ofNullable(TARGETS.get(t)), java.util.Set.of("main"))
        .parse(POLICY);
  }

  /** GitLab's claim set for a push pipeline on a protected branch, with the given overrides. */
  static Map<String, Object> claimsMap(Map<String, Object> overrides) {
    Map<String, Object> c = new HashMap<>();
    c.put("iss", "https://gitlab.example.com");
    c.put("jti", "3f1d2c2e-0000-4000-8000-000000000001");
    c.put("iat", 1_790_000_000L);
    c.put("exp", 1_790_003_600L);
    c.put("namespace_id", "7");
    c.put("namespace_path", "platform");
    c.put("project_id", "22");
    c.put("project_path", "platform/api");
    c.put("job_project_id", "22");
    c.put("job_project_path", "platform/api");
    c.put("job_namespace_id", "7");
    c.put("job_namespace_path", "platform");
    c.put("user_id", "42");
    c.put("user_login", "alice");
    c.put("user_access_level", "maintainer");
    c.put("pipeline_id", "1001");
    c.put("pipeline_source", "push");
    c.put("job_id", "5001");
    c.put("ref", "main");
    c.put("ref_type", "branch");
    c.put("ref_protected", "true");
    c.put("environment", "production");
    c.put("environment_protected", "true");
    c.put("deployment_tier", "production");
    c.putAll(overrides);
    c.values().removeIf(v -> v == null);
    return c;
  }

  static GitLabClaims claims(Map<String, Object> overrides) {
    return GitLabClaimsReader.read("main", new ObjectMapper().valueToTree(claimsMap(overrides)));
  }

  static Map<String, Object> with(Object... kv) {
    Map<String, Object> m = new HashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  /** A merge request pipeline's claims, from a feature branch, with the given overrides. */
  static Map<String, Object> mergeRequest(Object... overrides) {
    Map<String, Object> m =
        with(
            "pipeline_source",
            "merge_request_event",
            "environment",
            null,
            "ref",
            "feature/x",
            "ref_protected",
            "false");
    m.putAll(with(overrides));
    return m;
  }

  /** GitLab before 18.4 sends no {@code job_project_*} claims. */
  static final Object[] BEFORE_18_4 = {
    "job_project_id",
    null,
    "job_project_path",
    null,
    "job_namespace_id",
    null,
    "job_namespace_path",
    null
  };

  /** GitLab 18.2.2+ names the fork in project_* of a fork's merge request pipeline. */
  static final Object[] FORK_OF_PLATFORM_API = {
    "project_path",
    "mallory/api",
    "project_id",
    "23",
    "namespace_path",
    "mallory",
    "namespace_id",
    "8"
  };

  static Stream<Arguments> table() {
    FixedFacts all = FixedFacts.protectedEverything();
    FixedFacts refUnprotectedNow =
        new FixedFacts(FixedFacts.gitlab(false), FixedFacts.gitlab(true), FixedFacts.gitlab(40));
    FixedFacts developersDeploy =
        new FixedFacts(FixedFacts.gitlab(true), FixedFacts.gitlab(true), FixedFacts.gitlab(30));
    FixedFacts environmentUnprotectedNow =
        new FixedFacts(FixedFacts.gitlab(true), FixedFacts.gitlab(false), FixedFacts.gitlab(40));
    FixedFacts gitlabDown = FixedFacts.gitlabDown();
    return Stream.of(
        Arguments.of("protected deploy to production", with(), all, "production-deploys"),
        Arguments.of(
            "web pipeline deploy", with("pipeline_source", "web"), all, "production-deploys"),
        Arguments.of(
            "schedule is not a deploy source", with("pipeline_source", "schedule"), all, null),
        Arguments.of("token says protected, GitLab no longer", with(), refUnprotectedNow, null),
        Arguments.of("developers may deploy: too weak", with(), developersDeploy, null),
        Arguments.of(
            "token says environment protected, GitLab no longer",
            with(),
            environmentUnprotectedNow,
            null),
        Arguments.of(
            "GitLab Free: environment_protected false in token and API",
            with("environment_protected", "false"),
            environmentUnprotectedNow,
            null),
        Arguments.of(
            "other namespace",
            with("project_path", "evil/api", "job_project_path", "evil/api"),
            all,
            null),
        Arguments.of(
            "nested project is not platform/*",
            with(
                "project_path",
                "platform/evil/x",
                "job_project_path",
                "platform/evil/x",
                "environment",
                null,
                "ref",
                "release/1"),
            all,
            null),
        Arguments.of(
            "release branch without environment",
            with("environment", null, "ref", "release/1.2"),
            all,
            "release-branches-read"),
        Arguments.of(
            "merge request from the project itself",
            mergeRequest(),
            all,
            "merge-requests-read-staging"),
        Arguments.of(
            "merge request from a fork (18.4+ claims)",
            mergeRequest(
                "project_path", "platform/api", "project_id", "23", "job_project_id", "22"),
            all,
            null),
        Arguments.of(
            "merge request, GitLab < 18.4 (no job_project claims): fork unknown",
            mergeRequest(BEFORE_18_4),
            all,
            null),
        Arguments.of(
            "fork of platform/api named in project_path",
            mergeRequest(FORK_OF_PLATFORM_API),
            all,
            null),
        Arguments.of(
            "owner by project id",
            with(
                "project_id",
                "99",
                "job_project_id",
                "99",
                "project_path",
                "other/x",
                "job_project_path",
                "other/x",
                "user_access_level",
                "owner"),
            all,
            "admins-by-id"),
        Arguments.of(
            "maintainer is below owner",
            with(
                "project_id",
                "99",
                "job_project_id",
                "99",
                "project_path",
                "other/x",
                "job_project_path",
                "other/x"),
            all,
            null),
        Arguments.of("GitLab down: verified rules cannot match", with(), gitlabDown, null));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("table")
  void decides_as_the_table_says(
      String name, Map<String, Object> overrides, ProtectionFacts facts, String expectedRule) {
    Decision d = PolicyEvaluator.evaluate(policy(), claims(overrides), facts);
    assertThat(d.rule()).isEqualTo(expectedRule);
    assertThat(d.allowed()).isEqualTo(expectedRule != null);
  }

  @Test
  void gitlab_down_with_no_other_rule_allowing_says_gitlab_unavailable() {
    FixedFacts down = FixedFacts.gitlabDown();
    Decision d = PolicyEvaluator.evaluate(policy(), claims(with()), down);
    assertThat(d.gitlabUnavailable()).isTrue();
    assertThat(d.trace().get(0).conditions())
        .anySatisfy(
            c -> {
              assertThat(c.condition()).isEqualTo("ref_protected");
              assertThat(c.result()).isEqualTo(Result.UNAVAILABLE);
            });
  }

  @Test
  void denial_names_closest_rule_and_failed_condition_with_both_values() {
    FixedFacts refUnprotectedNow =
        new FixedFacts(FixedFacts.gitlab(false), FixedFacts.gitlab(true), FixedFacts.gitlab(40));
    Decision d = PolicyEvaluator.evaluate(policy(), claims(with()), refUnprotectedNow);
    assertThat(d.allowed()).isFalse();
    assertThat(d.gitlabUnavailable()).isFalse();
    assertThat(d.closest().rule()).isEqualTo("production-deploys");
    assertThat(new Disclosure(true).summary(d))
        .contains("closest rule 'production-deploys'")
        .contains("'ref_protected'")
        .contains("token=true, gitlab=false");
  }

  @Test
  void a_rule_whose_token_conditions_fail_costs_no_gitlab_call() {
    FixedFacts facts = FixedFacts.protectedEverything();
    PolicyEvaluator.evaluate(
        policy(),
        claims(
            with(
                "project_path",
                "evil/x",
                "job_project_path",
                "evil/x",
                "namespace_path",
                "evil",
                "job_namespace_path",
                "evil")),
        facts);
    assertThat(facts.calls).isZero();
  }

  @Test
  void a_rule_naming_an_instance_holds_only_for_its_tokens() {
    Policy p =
        new PolicyLoader(t -> Optional.ofNullable(TARGETS.get(t)), java.util.Set.of("main", "b"))
            .parse(
                "rules:\n  - name: main-only\n    when: {instance: main, project_path: \"platform/*\"}\n"
                    + "    grant: {target: staging, access: full}\n");
    assertThat(PolicyEvaluator.evaluate(p, claims(with()), FixedFacts.protectedEverything()).rule())
        .isEqualTo("main-only");
    GitLabClaims fromB =
        GitLabClaimsReader.read("b", new ObjectMapper().valueToTree(claimsMap(with())));
    assertThat(PolicyEvaluator.evaluate(p, fromB, FixedFacts.protectedEverything()).allowed())
        .isFalse();
  }

  @Test
  void first_matching_rule_wins() {
    Decision d =
        PolicyEvaluator.evaluate(
            policy(), claims(with("ref", "release/2")), FixedFacts.protectedEverything());
    assertThat(d.rule()).isEqualTo("production-deploys");
    assertThat(d.grant().roles()).containsExactly("publisher");
    assertThat(d.trace()).hasSize(1);
  }
}
