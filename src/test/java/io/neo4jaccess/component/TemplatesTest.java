package io.neo4jaccess.component;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The templates follow the catalog's conventions and carry the current client script. */
class TemplatesTest {

  private static final String HEREDOC_START = "<<'NEO4J_ACCESS_SH'\n";
  private static final String HEREDOC_END = "\nNEO4J_ACCESS_SH\n";
  private static final Pattern INPUT_REF = Pattern.compile("\\$\\[\\[\\s*inputs\\.([A-Za-z0-9_]+)");

  static Iterable<String> templates() {
    return ComponentFiles.templates().keySet();
  }

  private static ComponentFiles.Template load(String name) {
    return ComponentFiles.template(ComponentFiles.templates().get(name));
  }

  /** Every shell item of every job: before_script, script and after_script lines. */
  private static List<String> scriptItems(ComponentFiles.Template t) {
    List<String> items = new ArrayList<>();
    t.config()
        .forEach(
            (job, body) -> {
              if (body instanceof Map<?, ?> m) {
                for (String key : List.of("before_script", "script", "after_script")) {
                  if (m.get(key) instanceof List<?> list) {
                    list.stream()
                        .filter(String.class::isInstance)
                        .map(String.class::cast)
                        .forEach(items::add);
                  }
                }
              }
            });
    return items;
  }

  @ParameterizedTest
  @MethodSource("templates")
  void inlineClientIsScriptsNeo4jAccessShVerbatim(String name) {
    String source = ComponentFiles.read(ComponentFiles.CLIENT_SCRIPT);
    List<String> inlined =
        scriptItems(load(name)).stream().filter(s -> s.contains(HEREDOC_START)).toList();

    assertThat(inlined).as("%s inlines the client at least once", name).isNotEmpty();
    for (String item : inlined) {
      int from = item.indexOf(HEREDOC_START) + HEREDOC_START.length();
      int to = item.indexOf(HEREDOC_END, from) + 1;
      assertThat(item.substring(from, to))
          .as(
              "templates/%s.yml differs from scripts/neo4j-access.sh: run scripts/render-templates"
                  + " and commit",
              name)
          .isEqualTo(source);
    }
  }

  @ParameterizedTest
  @MethodSource("templates")
  void everyShellItemParsesWithPosixSh(String name) throws Exception {
    for (String item : scriptItems(load(name))) {
      Path file = Files.createTempFile("neo4j-access-item", ".sh");
      try {
        Files.writeString(file, item);
        Process sh =
            new ProcessBuilder("sh", "-n", file.toString()).redirectErrorStream(true).start();
        assertThat(sh.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(sh.exitValue())
            .as(
                "sh -n on a script item of %s: %s",
                name, new String(sh.getInputStream().readAllBytes()))
            .isZero();
      } finally {
        Files.deleteIfExists(file);
      }
    }
  }

  @ParameterizedTest
  @MethodSource("templates")
  void noGlobalKeywordsAndJobsAreNamespaced(String name) {
    Set<String> globals =
        Set.of(
            "default",
            "variables",
            "image",
            "services",
            "cache",
            "before_script",
            "after_script",
            "stages",
            "workflow");

    assertThat(load(name).config().keySet())
        .as(
            "%s: a template must not set pipeline-wide keywords (they would change the user's jobs)",
            name)
        .doesNotContainAnyElementsOf(globals)
        .allSatisfy(
            job ->
                assertThat(job)
                    .as("job names are namespaced after the component")
                    .matches("\\.?neo4j-access(-[a-z0-9-]+)?"));
  }

  @ParameterizedTest
  @MethodSource("templates")
  void everyInputIsUsedAndEveryUseIsDeclared(String name) throws IOException {
    String body = ComponentFiles.read(ComponentFiles.templates().get(name)).split("\n---\n", 2)[1];
    Set<String> used = new TreeSet<>();
    Matcher m = INPUT_REF.matcher(body);
    while (m.find()) {
      used.add(m.group(1));
    }

    assertThat(used)
        .containsExactlyInAnyOrderElementsOf(new TreeSet<>(load(name).inputs().keySet()));
  }
}
