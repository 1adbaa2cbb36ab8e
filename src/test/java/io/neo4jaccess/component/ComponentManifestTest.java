package io.neo4jaccess.component;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * component.yml, the manifest docs/component.md defines, describes exactly what templates/ ships.
 */
class ComponentManifestTest {

  private final Map<String, Object> manifest = ComponentFiles.manifest();

  @Test
  void the_manifest_has_the_fields_the_catalog_and_the_release_need() {
    assertThat(manifest)
        .containsKeys(
            "name", "description", "version", "broker_api", "minimum_gitlab_version", "templates");
    assertThat(manifest.get("version").toString())
        .as("version must be a semantic version (the release tag must equal it)")
        .matches(
            "(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)(-[0-9A-Za-z.-]+)?(\\+[0-9A-Za-z.-]+)?");
    assertThat(manifest.get("broker_api")).isEqualTo("v1");
    assertThat(manifest.get("minimum_gitlab_version").toString()).matches("\\d+\\.\\d+");
  }

  @Test
  void every_listed_template_exists_and_every_template_is_listed() {
    Map<?, ?> listed = (Map<?, ?>) manifest.get("templates");

    assertThat(listed.keySet().stream().map(String::valueOf).toList())
        .as(
            "templates in component.yml vs. templates/ (add a one-line entry for a new template,"
                + " remove the entry of a deleted one)")
        .containsExactlyInAnyOrderElementsOf(ComponentFiles.templates().keySet());
  }

  @Test
  void every_template_has_one_line_of_description() {
    Map<?, ?> listed = (Map<?, ?>) manifest.get("templates");

    listed.forEach(
        (name, line) ->
            assertThat(line)
                .as("component.yml templates.%s", name)
                .isInstanceOf(String.class)
                .asString()
                .isNotBlank()
                .doesNotContain("\n"));
  }

  @Test
  void there_are_at_most_thirty_components() {
    // GitLab's limit of components per catalog project.
    assertThat(ComponentFiles.templates()).hasSizeBetween(1, 30);
  }
}
