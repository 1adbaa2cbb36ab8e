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
  private static final String CLIENT_JOB = ".neo4j-access-client";

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
  void the_template_holds_the_client_once(String name) {
    List<String> inlined =
        scriptItems(load(name)).stream().filter(s -> s.contains(HEREDOC_START)).toList();

    assertThat(inlined).as("%s inlines the client exactly once", name).hasSize(1);
  }

  @ParameterizedTest
  @MethodSource("templates")
  void the_inlined_client_is_scripts_neo4j_access_sh_verbatim(String name) {
    String source = ComponentFiles.read(ComponentFiles.CLIENT_SCRIPT);
    String item =
        scriptItems(load(name)).stream().filter(s -> s.contains(HEREDOC_START)).findFirst().get();

    int from = item.indexOf(HEREDOC_START) + HEREDOC_START.length();
    int to = item.indexOf(HEREDOC_END, from) + 1;
    assertThat(item.substring(from, to))
        .as(
            "templates/%s.yml differs from scripts/neo4j-access.sh: run scripts/render-templates"
                + " and commit",
            name)
        .isEqualTo(source);
  }

  @ParameterizedTest
  @MethodSource("templates")
  void every_step_takes_the_client_by_reference(String name) {
    Map<String, Object> config = load(name).config();

    List<Object> steps = new ArrayList<>();
    config.forEach(
        (job, body) -> {
          if (!CLIENT_JOB.equals(job) && body instanceof Map<?, ?> m) {
            for (String key : List.of("before_script", "script", "after_script")) {
              if (m.get(key) instanceof List<?> list && !list.isEmpty()) {
                steps.add(list.get(0));
              }
            }
          }
        });

    assertThat(steps)
        .as("%s: each step starts with !reference [%s, script]", name, CLIENT_JOB)
        .isNotEmpty()
        .allSatisfy(first -> assertThat(first).isEqualTo(List.of(CLIENT_JOB, "script")));
  }

  @ParameterizedTest
  @MethodSource("templates")
  void the_ttl_input_allows_exactly_what_the_client_checks(String name) {
    Map<String, Object> ttl = load(name).inputs().get("ttl");
    if (ttl == null) {
      return;
    }
    String client = ComponentFiles.read(ComponentFiles.CLIENT_SCRIPT);

    assertThat(ttl.get("regex")).isEqualTo("^([1-9][0-9]{0,5}[smh])?$");
    assertThat(client).contains("grep -Eq '^[1-9][0-9]{0,5}[smh]$'");
  }

  @ParameterizedTest
  @MethodSource("templates")
  void broker_url_accepts_a_url_or_a_variable_and_nothing_else(String name) {
    Pattern regex =
        Pattern.compile(String.valueOf(load(name).inputs().get("broker_url").get("regex")));

    assertThat(
            List.of(
                "https://neo4j-access.example.com",
                "http://broker:8080",
                "$NEO4J_ACCESS_URL",
                "${GROUP_BROKER}"))
        .allSatisfy(ok -> assertThat(regex.matcher(ok).matches()).as(ok).isTrue());
    assertThat(
            List.of(
                "neo4j-access.example.com",
                "ftp://x",
                "https://a b",
                "$NEO4J_ACCESS_URL/v1",
                "https://$HOST",
                "$(id)"))
        .allSatisfy(bad -> assertThat(regex.matcher(bad).matches()).as(bad).isFalse());
  }

  @ParameterizedTest
  @MethodSource("templates")
  void every_shell_item_parses_with_posix_sh(String name) throws Exception {
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
  void no_global_keywords_and_jobs_are_namespaced(String name) {
    ComponentFiles.Template t = load(name);
    Map<?, ?> config = (Map<?, ?>) CiSchemaTest.interpolate(t.config(), t.inputs());
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

    assertThat(config.keySet().stream().map(String::valueOf).toList())
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
  void every_input_is_used_and_every_use_is_declared(String name) throws IOException {
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
