package io.neo4jaccess.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code policy check} ships in the broker's artifact: the packaged jar checks a policy and exits,
 * without starting the broker (no port, no Neo4j, no GitLab).
 */
class PolicyCheckJarIT {

  static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar");

  @TempDir Path dir;

  record Run(int exit, String output) {}

  static Run java(String... args) throws IOException, InterruptedException {
    List<String> cmd =
        new java.util.ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                JAR.toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    // The broker's own configuration must not leak in from the environment of the build.
    pb.environment().keySet().removeIf(k -> k.startsWith("BROKER_") || k.startsWith("QUARKUS_"));
    Process p = pb.start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("the check ends by itself").isTrue();
    return new Run(
        p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
  }

  Path targets() throws IOException {
    return Files.writeString(
        dir.resolve("targets.yml"),
        "instances: [demo]\n"
            + "targets:\n"
            + "  demo: {edition: community, max_ttl: 1h}\n"
            + "  gated: {edition: community, max_ttl: 1h, gateway: true}\n");
  }

  @Test
  void the_packaged_broker_checks_a_valid_policy_and_exits_without_starting() throws Exception {
    Run r = java("policy", "check", "demo/policy.yml", "--targets", targets().toString());

    assertThat(r.exit()).isZero();
    assertThat(r.output())
        .contains("demo/policy.yml: valid, 4 rule(s)")
        .doesNotContain("started in")
        .doesNotContain("Listening on");
  }

  @Test
  void the_packaged_broker_fails_an_invalid_policy_naming_rule_and_field() throws Exception {
    Path policy =
        Files.writeString(
            dir.resolve("policy.yml"),
            Files.readString(Path.of("demo", "policy.yml"))
                .replace(
                    "{target: demo, access: full, ttl: 10m}",
                    "{target: demo, access: full, ttl: 2h}"));

    Run r = java("policy", "check", policy.toString(), "--targets", targets().toString());

    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.output())
        .contains("rule 'demo-protected-refs' field 'grant.ttl': 2h exceeds target 'demo' maximum");
  }
}
