package io.neo4jaccess.component;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonMetaSchema;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.NonValidationKeyword;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The templates and .gitlab-ci.yml validate against GitLab's CI JSON schema (the copy in
 * src/test/resources/schema/, see the README there).
 *
 * <p>That schema lets hidden jobs ({@code .name}) hold anything, so each hidden job is also
 * validated as a job definition: the component's only job users get is a hidden one. Templates are
 * validated after interpolating {@code $[[ inputs.* ]]} with their defaults, the way GitLab does.
 */
class CiSchemaTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern INPUT =
      Pattern.compile("\\$\\[\\[\\s*inputs\\.([A-Za-z0-9_]+)\\s*]]");
  private static final JsonNode SCHEMA = loadSchema();
  // GitLab's schema annotates with markdownDescription (for editors); declare it so it is not
  // reported.
  private static final JsonMetaSchema META =
      JsonMetaSchema.builder(JsonMetaSchema.getV7())
          .keyword(new NonValidationKeyword("markdownDescription"))
          .build();
  private static final JsonSchemaFactory FACTORY =
      JsonSchemaFactory.getInstance(
          SpecVersion.VersionFlag.V7, b -> b.defaultMetaSchemaIri(META.getIri()).metaSchema(META));
  private static final JsonSchema PIPELINE = FACTORY.getSchema(SCHEMA);
  private static final JsonSchema JOB = FACTORY.getSchema(definition("job_template"));

  static Iterable<String> templates() {
    return ComponentFiles.templates().keySet();
  }

  @ParameterizedTest
  @MethodSource("templates")
  void each_template_validates_against_the_gitlab_ci_schema(String name) {
    ComponentFiles.Template t = ComponentFiles.template(ComponentFiles.templates().get(name));
    Object config = interpolate(t.config(), t.inputs());

    assertValid("templates/" + name + ".yml", config);
    assertThat(errors(PIPELINE, Map.of("spec", t.spec())))
        .as("templates/%s.yml spec: header", name)
        .isEmpty();
  }

  @Test
  void the_project_pipeline_validates_against_the_gitlab_ci_schema() {
    Object config =
        ComponentFiles.yaml()
            .load(ComponentFiles.read(ComponentFiles.ROOT.resolve(".gitlab-ci.yml")));

    assertValid(".gitlab-ci.yml", config);
  }

  @Test
  void the_schema_rejects_what_gitlab_rejects() {
    // Guards against a validator that silently accepts everything: an extra key under id_tokens is
    // an error GitLab (and gitlab-ci-local) report.
    Map<String, Object> bad =
        Map.of(
            "script", List.of("true"),
            "id_tokens", Map.of("T", Map.of("aud", "x", "extra", "y")));

    assertThat(errors(JOB, bad)).isNotEmpty();
    assertThat(errors(PIPELINE, Map.of("job", bad))).isNotEmpty();
  }

  private static void assertValid(String file, Object config) {
    assertThat(errors(PIPELINE, config)).as("%s against GitLab's CI schema", file).isEmpty();
    ((Map<?, ?>) config)
        .forEach(
            (key, value) -> {
              if (key.toString().startsWith(".")) {
                assertThat(errors(JOB, value))
                    .as("%s hidden job %s as a job definition", file, key)
                    .isEmpty();
              }
            });
  }

  private static List<String> errors(JsonSchema schema, Object instance) {
    Set<ValidationMessage> messages = schema.validate(JSON.valueToTree(instance));
    return messages.stream()
        .map(ValidationMessage::getMessage)
        .sorted()
        .collect(Collectors.toList());
  }

  /**
   * Interpolates inputs as GitLab does: a scalar that is exactly one {@code $[[ inputs.x ]]} takes
   * the input's typed value (an array stays an array); inside a longer string it is text. Inputs
   * without a default get a plausible value.
   */
  @SuppressWarnings("unchecked")
  static Object interpolate(Object node, Map<String, Map<String, Object>> inputs) {
    if (node instanceof Map<?, ?> map) {
      Map<String, Object> out = new LinkedHashMap<>();
      map.forEach((k, v) -> out.put((String) interpolate(k, inputs), interpolate(v, inputs)));
      return out;
    }
    if (node instanceof List<?> list) {
      List<Object> out = new ArrayList<>();
      list.forEach(v -> out.add(interpolate(v, inputs)));
      return out;
    }
    if (node instanceof String s) {
      Matcher whole = INPUT.matcher(s);
      if (whole.matches()) {
        return value(whole.group(1), inputs);
      }
      return INPUT
          .matcher(s)
          .replaceAll(r -> Matcher.quoteReplacement(String.valueOf(value(r.group(1), inputs))));
    }
    return node;
  }

  private static Object value(String name, Map<String, Map<String, Object>> inputs) {
    Map<String, Object> spec = inputs.get(name);
    assertThat(spec).as("input %s is declared", name).isNotNull();
    if (spec.containsKey("default")) {
      return spec.get("default");
    }
    return name.endsWith("_url") ? "https://neo4j-access.example.com" : "sample";
  }

  private static JsonNode loadSchema() {
    try (InputStream in = CiSchemaTest.class.getResourceAsStream("/schema/gitlab-ci.json")) {
      return JSON.readTree(in);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A schema that is one of the CI schema's definitions, with the others still resolvable. */
  private static JsonNode definition(String name) {
    ObjectNode node = JSON.createObjectNode();
    node.put("$schema", SCHEMA.get("$schema").asText());
    node.set("definitions", SCHEMA.get("definitions"));
    node.put("$ref", "#/definitions/" + name);
    return node;
  }
}
