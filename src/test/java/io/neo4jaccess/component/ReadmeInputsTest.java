package io.neo4jaccess.component;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The catalog page (README.md) documents every input exactly as the templates declare it. */
class ReadmeInputsTest {

  static Iterable<String> templates() {
    return ComponentFiles.templates().keySet();
  }

  @ParameterizedTest
  @MethodSource("templates")
  void the_readme_inputs_table_matches_the_spec_inputs(String name) {
    Path file = ComponentFiles.templates().get(name);
    String readme = ComponentFiles.read(ComponentFiles.README);

    Matcher section = InputsTables.section(name).matcher(readme);

    assertThat(section.find())
        .as(
            "README.md needs <!-- inputs:%s:start --> and <!-- inputs:%s:end --> markers",
            name, name)
        .isTrue();
    assertThat(section.group(2))
        .as(
            "README.md inputs table for %s is out of date with %s: run scripts/render-inputs and"
                + " commit README.md",
            name, ComponentFiles.ROOT.relativize(file))
        .isEqualTo(InputsTables.table(ComponentFiles.template(file)));
  }

  @ParameterizedTest
  @MethodSource("templates")
  void every_input_is_snake_case_with_a_one_sentence_description(String name) {
    Map<String, Map<String, Object>> inputs =
        ComponentFiles.template(ComponentFiles.templates().get(name)).inputs();

    inputs.forEach(
        (input, spec) -> {
          assertThat(input).as("%s input name", name).matches("[a-z][a-z0-9]*(_[a-z0-9]+)*");
          assertThat(String.valueOf(spec.get("description")))
              .as("%s input %s description: one sentence ending in a period", name, input)
              .isNotBlank()
              .endsWith(".")
              .doesNotContain("\n");
        });
  }
}
