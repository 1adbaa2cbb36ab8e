package io.neo4jaccess.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.params.ParameterizedTest;

/**
 * The suite reads in one style: tests assert with AssertJ alone, so a failure always reads the same
 * way, and each test is named as the behaviour it checks, in a snake_case sentence.
 */
class TestStyleTest {

  private static final Path TEST_SOURCES = Path.of("src/test/java");

  /** Any reference to Hamcrest: an import, a static import or a fully qualified name. */
  private static final Pattern HAMCREST = Pattern.compile("\\borg\\.hamcrest\\b");

  private static final JavaClasses TESTS =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.ONLY_INCLUDE_TESTS)
          .importPackages("io.neo4jaccess");

  @Test
  void no_test_source_uses_hamcrest() {
    List<String> found;
    try (Stream<Path> files = Files.walk(TEST_SOURCES)) {
      found =
          files
              .filter(file -> file.toString().endsWith(".java"))
              .filter(file -> HAMCREST.matcher(read(file)).find())
              .map(Path::toString)
              .sorted()
              .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }

    assertThat(found).as("test sources that use Hamcrest instead of AssertJ").isEmpty();
  }

  @Test
  void every_test_method_is_named_in_snake_case() {
    methods()
        .that()
        .areAnnotatedWith(Test.class)
        .or()
        .areAnnotatedWith(ParameterizedTest.class)
        .or()
        .areAnnotatedWith(TestFactory.class)
        .or()
        .areAnnotatedWith(RepeatedTest.class)
        .should()
        .haveNameMatching("[a-z][a-z0-9_]*")
        .because("a test's name is the behaviour it checks, as a snake_case sentence")
        .check(TESTS);
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
