package io.neo4jaccess.component;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * The component's files as the checks see them: the manifest, the templates, YAML with !reference.
 */
final class ComponentFiles {

  /** Maven runs tests with the project's base directory as working directory. */
  static final Path ROOT = Path.of("").toAbsolutePath();

  static final Path MANIFEST = ROOT.resolve("component.yml");
  static final Path TEMPLATES = ROOT.resolve("templates");
  static final Path README = ROOT.resolve("README.md");
  static final Path CLIENT_SCRIPT = ROOT.resolve("scripts/neo4j-access.sh");

  private ComponentFiles() {}

  /**
   * Component names found under templates/: {@code templates/<name>.yml} or {@code
   * templates/<name>/template.yml}, the only two layouts GitLab recognises, mapped to their file.
   */
  static Map<String, Path> templates() {
    Map<String, Path> found = new TreeMap<>();
    try (Stream<Path> entries = Files.list(TEMPLATES)) {
      for (Path p : entries.toList()) {
        String file = p.getFileName().toString();
        if (Files.isRegularFile(p) && file.endsWith(".yml")) {
          found.put(file.substring(0, file.length() - ".yml".length()), p);
        } else if (Files.isRegularFile(p.resolve("template.yml"))) {
          found.put(file, p.resolve("template.yml"));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return found;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> manifest() {
    return (Map<String, Object>) yaml().load(read(MANIFEST));
  }

  /** A template's two documents: the {@code spec:} header and the configuration. */
  record Template(Map<String, Object> spec, Map<String, Object> config) {

    @SuppressWarnings("unchecked")
    Map<String, Map<String, Object>> inputs() {
      Object inputs = spec.get("inputs");
      return inputs == null ? Map.of() : (Map<String, Map<String, Object>>) inputs;
    }
  }

  @SuppressWarnings("unchecked")
  static Template template(Path file) {
    List<Object> docs = new ArrayList<>();
    yaml().loadAll(read(file)).forEach(docs::add);
    if (docs.size() != 2) {
      throw new IllegalStateException(
          file + ": expected a spec: header, ---, then the configuration; found " + docs.size());
    }
    Map<String, Object> header = (Map<String, Object>) docs.get(0);
    return new Template(
        (Map<String, Object>) header.getOrDefault("spec", new LinkedHashMap<>()),
        (Map<String, Object>) docs.get(1));
  }

  /** YAML as GitLab reads it, with {@code !reference [job, key]} kept as a list. */
  static Yaml yaml() {
    return new Yaml(new CiConstructor());
  }

  static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static final class CiConstructor extends SafeConstructor {
    CiConstructor() {
      super(new LoaderOptions());
      yamlConstructors.put(
          new Tag("!reference"),
          new AbstractConstruct() {
            @Override
            public Object construct(Node node) {
              return constructSequence((SequenceNode) node);
            }
          });
    }
  }
}
