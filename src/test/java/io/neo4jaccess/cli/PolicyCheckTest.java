package io.neo4jaccess.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code policy check} validates a policy as the broker loads it, from a targets file or the
 * broker's configuration, with no broker, Neo4j or GitLab. Pure: files in a temporary directory.
 */
class PolicyCheckTest {

  @TempDir Path dir;

  record Run(int exit, String out, String err) {}

  static final String POLICY =
      """
      version: "2024-06"
      rules:
        - name: deploys
          when: {project_path: "platform/*", ref_protected: true}
          grant: {target: production, roles: [publisher], ttl: 15m}
        - name: merge-requests
          when: {namespace_path: "platform/**", pipeline_source: merge_request_event}
          grant: {target: staging, access: full, ttl: 10m}
      """;

  static final String TARGETS =
      """
      instances: [main]
      targets:
        staging: {edition: community, max_ttl: 1h}
        production: {edition: enterprise, max_ttl: 30m}
      """;

  Path file(String name, String text) throws IOException {
    return Files.writeString(dir.resolve(name), text);
  }

  static Run check(Map<String, String> env, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit =
        PolicyCheck.run(
            args,
            env,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(
        exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void a_valid_policy_passes_with_its_version() throws IOException {
    Run r =
        check(
            Map.of(),
            "check",
            file("policy.yml", POLICY).toString(),
            "--targets",
            file("targets.yml", TARGETS).toString());

    assertThat(r.exit()).isZero();
    assertThat(r.out()).contains("valid, 2 rule(s), version 2024-06 (sha256 ");
  }

  @Test
  void an_invalid_policy_fails_naming_rule_and_field() throws IOException {
    // given a grant longer than production's maximum of 30 minutes
    Path policy = file("policy.yml", POLICY.replace("ttl: 15m", "ttl: 45m"));

    Run r =
        check(Map.of(), "check", policy.toString(), "--targets", file("t.yml", TARGETS).toString());

    assertThat(r.exit()).isEqualTo(PolicyCheck.INVALID);
    assertThat(r.err())
        .contains("not valid: rule 'deploys' field 'grant.ttl': 45m exceeds target 'production'");
  }

  @Test
  void roles_on_a_community_target_fail_as_at_load_time() throws IOException {
    Path targets = file("t.yml", TARGETS.replace("edition: enterprise", "edition: community"));

    Run r =
        check(Map.of(), "check", file("p.yml", POLICY).toString(), "--targets", targets.toString());

    assertThat(r.exit()).isEqualTo(PolicyCheck.INVALID);
    assertThat(r.err())
        .contains("rule 'deploys' field 'grant.roles': target 'production' cannot enforce roles");
  }

  @Test
  void the_broker_configuration_describes_the_targets_when_no_file_does() throws IOException {
    // given the broker's keys: the instance and staging in a properties file, production in env
    Path properties =
        file(
            "application.properties",
            """
            broker.gitlab.instances.main.url=https://gitlab.example.com
            broker.neo4j.targets.staging.uri=neo4j://staging:7687
            broker.neo4j.targets.staging.edition=community
            """);
    Map<String, String> env =
        Map.of(
            "BROKER_NEO4J_TARGETS_PRODUCTION_URI", "neo4j://production:7687",
            "BROKER_NEO4J_TARGETS_PRODUCTION_EDITION", "enterprise",
            "BROKER_NEO4J_TARGETS_PRODUCTION_MAX_TTL", "20m");

    Run r =
        check(env, "check", file("p.yml", POLICY).toString(), "--config", properties.toString());

    // then both targets are known, each from where it is configured
    assertThat(r.err()).isEmpty();
    assertThat(r.exit()).isZero();
  }

  @Test
  void a_read_grant_is_valid_only_on_a_target_the_gateway_fronts() throws IOException {
    Path policy = file("p.yml", POLICY.replace("access: full", "access: read"));

    Run without =
        check(Map.of(), "check", policy.toString(), "--targets", file("t.yml", TARGETS).toString());
    Run withFile =
        check(
            Map.of(),
            "check",
            policy.toString(),
            "--targets",
            file(
                    "g.yml",
                    TARGETS.replace(
                        "staging: {edition: community, max_ttl: 1h}",
                        "staging: {edition: community, max_ttl: 1h, gateway: true}"))
                .toString());
    Run withKeys =
        check(
            Map.of(
                "BROKER_GITLAB_INSTANCES_MAIN_URL", "https://gitlab.example.com",
                "BROKER_NEO4J_TARGETS_STAGING_EDITION", "community",
                "BROKER_NEO4J_TARGETS_STAGING_GATEWAY_ENABLED", "true",
                "BROKER_NEO4J_TARGETS_PRODUCTION_EDITION", "enterprise"),
            "check",
            policy.toString());

    assertThat(without.exit()).isEqualTo(PolicyCheck.INVALID);
    assertThat(without.err())
        .contains("field 'grant.access': target 'staging' has no gateway to enforce 'read'");
    assertThat(withFile.err()).isEmpty();
    assertThat(withFile.exit()).isZero();
    assertThat(withKeys.err()).isEmpty();
    assertThat(withKeys.exit()).isZero();
  }

  @Test
  void a_gateway_flag_that_is_not_a_boolean_is_refused() throws IOException {
    Path targets = file("t.yml", TARGETS.replace("max_ttl: 1h}", "max_ttl: 1h, gateway: perhaps}"));

    Run r =
        check(Map.of(), "check", file("p.yml", POLICY).toString(), "--targets", targets.toString());

    assertThat(r.exit()).isEqualTo(PolicyCheck.USAGE);
    assertThat(r.err()).contains("target 'staging' field 'gateway': must be true or false");
  }

  @Test
  void a_target_without_an_edition_is_refused_rather_than_guessed() throws IOException {
    Map<String, String> env =
        Map.of(
            "BROKER_GITLAB_INSTANCES_MAIN_URL", "https://gitlab.example.com",
            "BROKER_NEO4J_TARGETS_STAGING_URI", "neo4j://staging:7687");

    Run r = check(env, "check", file("p.yml", POLICY).toString());

    assertThat(r.exit()).isEqualTo(PolicyCheck.USAGE);
    assertThat(r.err())
        .contains(
            "target 'staging' key broker.neo4j.targets.staging.edition: must be community or enterprise");
  }

  @Test
  void the_shipped_example_policy_passes_with_the_shipped_example_targets() {
    Run r =
        check(
            Map.of(),
            "check",
            "config/policy.example.yml",
            "--targets",
            "config/targets.example.yml");

    assertThat(r.err()).isEmpty();
    assertThat(r.exit()).isZero();
  }

  @Test
  void a_wrong_command_prints_the_usage() {
    Run r = check(Map.of(), "lint", "policy.yml");

    assertThat(r.exit()).isEqualTo(PolicyCheck.USAGE);
    assertThat(r.err()).contains("usage: policy check POLICY.yml");
  }
}
