package io.neo4jaccess.component;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * scripts/check-release-tag: the release job's rule that the tag equals component.yml's version.
 */
class CheckReleaseTagTest {

  @TempDir Path dir;

  record Result(int exit, String output) {}

  private Result check(String tag, String manifest) throws Exception {
    Path file = dir.resolve("component.yml");
    Files.writeString(file, manifest);
    ProcessBuilder pb =
        new ProcessBuilder(
                "sh",
                ComponentFiles.ROOT.resolve("scripts/check-release-tag").toString(),
                tag,
                file.toString())
            .redirectErrorStream(true);
    pb.environment().remove("CI_COMMIT_TAG");
    Process p = pb.start();
    assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
    return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes()));
  }

  @ParameterizedTest(name = "{0} with version {1}")
  @CsvSource({
    "1.2.3, 1.2.3",
    "1.2.3, '\"1.2.3\"'",
    "1.2.3, '1.2.3 # released'",
    "2.0.0-rc.1, 2.0.0-rc.1",
    "1.0.0+build.5, 1.0.0+build.5",
  })
  void a_tag_equal_to_the_manifest_version_is_accepted(String tag, String version)
      throws Exception {
    Result r = check(tag, "name: neo4j-access\nversion: " + version + "\n");

    assertThat(r.exit()).as(r.output()).isZero();
  }

  @ParameterizedTest(name = "{0}: {2}")
  @CsvSource({
    "1.2.4, 1.2.3, differs from version '1.2.3'",
    "v1.2.3, 1.2.3, is not a semantic version",
    "1.2, 1.2, is not a semantic version",
    "01.2.3, 01.2.3, is not a semantic version",
    "1.2.3, '', has no top-level version",
  })
  void any_other_tag_is_refused_with_its_reason(String tag, String version, String message)
      throws Exception {
    Result r = check(tag, "name: neo4j-access\nversion: " + version + "\n");

    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.output()).contains(message);
  }

  @Test
  void a_nested_version_key_is_not_the_version() throws Exception {
    Result r = check("1.0.0", "name: x\ntemplates:\n  version: 1.0.0\n");

    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.output()).contains("has no top-level version");
  }

  @Test
  void the_real_manifest_version_is_releasable() throws Exception {
    String version = ComponentFiles.manifest().get("version").toString();

    Result r = check(version, ComponentFiles.read(ComponentFiles.MANIFEST));

    assertThat(r.exit()).as(r.output()).isZero();
  }
}
