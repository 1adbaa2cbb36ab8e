package io.neo4jaccess.policy;

import static io.neo4jaccess.policy.FixedFacts.gitlab;
import static io.neo4jaccess.policy.PolicyEvaluatorTest.claims;
import static io.neo4jaccess.policy.PolicyEvaluatorTest.with;
import static org.assertj.core.api.Assertions.assertThat;

import io.neo4jaccess.gitlab.ProtectionFacts;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The shipped example policy loads and derives scope from protection settings as it says. */
class ExamplePolicyTest {

  static final Map<String, TargetLimits> TARGETS =
      Map.of(
          "production",
              new TargetLimits(
                  Duration.ofHours(1), PolicyEvaluatorTest.ENTERPRISE_ROLES, "neo4j", false),
          "staging",
              new TargetLimits(
                  Duration.ofHours(1), PolicyEvaluatorTest.ENTERPRISE_ROLES, "neo4j", false),
          "sandbox", new TargetLimits(Duration.ofMinutes(30), java.util.Set.of(), "neo4j", false));

  static Stream<Arguments> cases() {
    FixedFacts production =
        new FixedFacts(gitlab(true), gitlab(true), gitlab(40), gitlab(1), gitlab("production"));
    FixedFacts productionNoApproval =
        new FixedFacts(gitlab(true), gitlab(true), gitlab(40), gitlab(0), gitlab("production"));
    FixedFacts staging =
        new FixedFacts(gitlab(true), gitlab(true), gitlab(30), gitlab(0), gitlab("staging"));
    FixedFacts unprotectedRef =
        new FixedFacts(gitlab(false), gitlab(false), gitlab(30), gitlab(0), gitlab("other"));
    Map<String, Object> noEnvironment =
        with("environment", null, "environment_protected", null, "deployment_tier", null);
    return Stream.of(
        Arguments.of(
            "deploy to protected production",
            with(),
            production,
            "production-deploys",
            "publisher"),
        Arguments.of(
            "production without required approval: read only",
            with(),
            productionNoApproval,
            "protected-refs-read",
            "reader"),
        Arguments.of(
            "a prepare job on protected production is no deployment: read only",
            with("environment_action", "prepare"),
            production,
            "protected-refs-read",
            "reader"),
        Arguments.of(
            "deploy to protected staging",
            with("environment", "staging", "deployment_tier", "staging"),
            staging,
            "staging-deploys",
            "editor"),
        Arguments.of(
            "tests on a protected branch",
            noEnvironment,
            production,
            "protected-refs-read",
            "reader"),
        Arguments.of(
            "merge request from the project",
            merge(noEnvironment),
            unprotectedRef,
            "merge-requests-sandbox",
            null),
        Arguments.of(
            "unprotected branch push",
            with(
                "ref",
                "feature/x",
                "ref_protected",
                "false",
                "environment",
                null,
                "environment_protected",
                null),
            unprotectedRef,
            null,
            null),
        Arguments.of(
            "fork merge request",
            merge(
                with(
                    "project_id",
                    "23",
                    "project_path",
                    "mallory/api",
                    "namespace_path",
                    "mallory",
                    "namespace_id",
                    "8",
                    "environment",
                    null)),
            unprotectedRef,
            null,
            null));
  }

  static Map<String, Object> merge(Map<String, Object> m) {
    Map<String, Object> c = new java.util.HashMap<>(m);
    c.put("pipeline_source", "merge_request_event");
    c.put("ref", "feature/x");
    c.put("ref_protected", "false");
    return c;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void derives_scope_from_protection_settings(
      String name, Map<String, Object> overrides, ProtectionFacts facts, String rule, String role) {
    Policy policy =
        new PolicyLoader(t -> Optional.ofNullable(TARGETS.get(t)), java.util.Set.of("main"))
            .load(Path.of("config", "policy.example.yml"));
    Decision d = PolicyEvaluator.evaluate(policy, claims(overrides), facts);
    assertThat(d.rule()).isEqualTo(rule);
    if (role != null) {
      assertThat(d.grant().roles()).containsExactly(role);
    }
  }
}
