package io.neo4jaccess.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Everything the project ships stands on its own: no README, doc, template, manifest or source
 * comment points a reader to a document outside this repository (the team's working notes are not
 * the users'). Where a user needs a fact, the project's own docs state it or cite GitLab's or
 * Neo4j's documentation.
 */
class SelfContainedFilesTest {

  private static final Pattern OUTSIDE =
      Pattern.compile("\\b(DESIGN|FACTS|STYLE)\\.md\\b|\\.\\./shared\\b");

  @Test
  void no_shipped_file_points_to_a_document_outside_the_repository() {
    List<String> found =
        shipped()
            .flatMap(
                file ->
                    lines(file).stream()
                        .filter(line -> OUTSIDE.matcher(line).find())
                        .map(line -> file + ": " + line.strip()))
            .toList();

    assertThat(found).isEmpty();
  }

  private static Stream<Path> shipped() {
    Stream<Path> roots =
        Stream.of(
                "README.md",
                "SECURITY.md",
                "CHANGELOG.md",
                "component.yml",
                "docs",
                "templates",
                "scripts",
                "config",
                "bench/RESULTS.md",
                "chaos",
                "src/main")
            .map(Path::of)
            .filter(Files::exists);
    return roots.flatMap(SelfContainedFilesTest::walk).filter(Files::isRegularFile);
  }

  private static Stream<Path> walk(Path root) {
    try {
      return Files.walk(root).toList().stream();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<String> lines(Path file) {
    try {
      return Files.readAllLines(file);
    } catch (IOException e) {
      return List.of(); // binary files hold no prose to check
    }
  }
}
