package io.neo4jaccess.policy;

import io.neo4jaccess.policy.Condition.Type;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Reads and validates a policy so that an under-constrained or impossible rule cannot be deployed
 * by accident: every rule anchored on a project or namespace, every grant on a known target within
 * its maximum TTL, roles only where the target enforces them.
 */
public final class PolicyLoader {

  private static final Set<String> TOP_KEYS = Set.of("version", "rules");

  /** A declared version is shown in logs, tables and metric labels: short, plain characters. */
  private static final Pattern DECLARED_VERSION =
      Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:+-]{0,63}");

  private static final Set<String> RULE_KEYS = Set.of("name", "when", "grant");
  private static final int MAX_BYTES = 1 << 20;

  private final GrantReader grants;
  private final Set<String> instances;

  /**
   * @param targets the configured targets by name, each with what grants must respect
   * @param instances the configured GitLab instances' names
   */
  public PolicyLoader(Function<String, Optional<TargetLimits>> targets, Set<String> instances) {
    this.grants = new GrantReader(targets);
    this.instances = Set.copyOf(instances);
  }

  public Policy load(Path file) {
    return parse(read(file));
  }

  /** The policy file's text, at most 1 MiB of UTF-8. */
  static String read(Path file) {
    try {
      if (Files.size(file) > MAX_BYTES) {
        throw new PolicyException("policy " + file + " is larger than 1 MiB");
      }
      return Files.readString(file);
    } catch (IOException e) {
      throw new PolicyException("cannot read policy " + file + ": " + e.getMessage());
    }
  }

  public Policy parse(String yaml) {
    LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(false);
    // A few aliases are convenient; "billion laughs" expansions are not.
    options.setMaxAliasesForCollections(20);
    options.setNestingDepthLimit(20);
    options.setCodePointLimit(MAX_BYTES);
    Object root;
    try {
      root = new Yaml(new SafeConstructor(options)).load(yaml);
    } catch (YAMLException e) {
      throw new PolicyException("policy is not valid YAML: " + firstLine(e.getMessage()));
    }
    Map<String, Object> top = YamlValues.map(root, "policy");
    YamlValues.unknownKeys(top, TOP_KEYS, "policy");
    Object rulesNode = top.get("rules");
    if (!(rulesNode instanceof List<?> list) || list.isEmpty()) {
      throw new PolicyException("policy: 'rules' must be a non-empty list");
    }
    List<Rule> rules = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (int i = 0; i < list.size(); i++) {
      Rule rule = rule(list.get(i), i);
      if (!names.add(rule.name())) {
        throw new PolicyException("rule '" + rule.name() + "': name used twice");
      }
      rules.add(rule);
    }
    return new Policy(
        List.copyOf(rules), PolicyVersion.of(yaml, declaredVersion(top.get("version"))));
  }

  private static String declaredVersion(Object node) {
    if (node == null) {
      return null;
    }
    String text = node instanceof String || node instanceof Integer ? node.toString() : null;
    if (text == null || !DECLARED_VERSION.matcher(text).matches()) {
      throw new PolicyException(
          "policy field 'version': must be up to 64 letters, digits and . _ : + -, starting with a"
              + " letter or digit, e.g. \"2024-06-01\" (quote dates and decimals)");
    }
    return text;
  }

  private Rule rule(Object node, int index) {
    Map<String, Object> m = YamlValues.map(node, "rule #" + (index + 1));
    Object nameNode = m.get("name");
    if (!(nameNode instanceof String name) || name.isBlank()) {
      throw new PolicyException(
          "rule #" + (index + 1) + ": field 'name' must be a non-empty string");
    }
    String where = "rule '" + name + "'";
    YamlValues.unknownKeys(m, RULE_KEYS, where);
    Map<String, Object> when = YamlValues.map(m.get("when"), where + " field 'when'");
    List<Condition> conditions = new ArrayList<>();
    for (Map.Entry<String, Object> e : when.entrySet()) {
      conditions.add(condition(where, e.getKey(), e.getValue()));
    }
    if (conditions.stream().noneMatch(c -> Condition.ANCHORS.contains(c.name()) && anchored(c))) {
      throw new PolicyException(
          where
              + ": unanchored rule; 'when' must name project_id, project_path, namespace_id or"
              + " namespace_path with a literal first path segment");
    }
    checkInstance(where, conditions);
    return new Rule(name, List.copyOf(conditions), grants.read(where, m.get("grant")));
  }

  /**
   * Project paths and ids are only unique within one GitLab instance: with several instances
   * configured, a rule that does not name its instance would let a project of the same path on
   * another instance (perhaps one anybody can sign up to) borrow the rule.
   */
  private void checkInstance(String where, List<Condition> conditions) {
    Optional<Condition> instance =
        conditions.stream().filter(c -> c.name().equals("instance")).findFirst();
    if (instance.isEmpty()) {
      if (instances.size() > 1) {
        throw new PolicyException(
            where
                + ": several GitLab instances are configured, so the rule must name one in"
                + " 'when.instance'");
      }
      return;
    }
    @SuppressWarnings("unchecked")
    List<String> named = (List<String>) instance.get().expected();
    for (String n : named) {
      if (!instances.contains(n)) {
        throw new PolicyException(
            where + " field 'when.instance': unknown GitLab instance '" + n + "'");
      }
    }
  }

  private static boolean anchored(Condition c) {
    if (c.type() != Type.GLOBS) {
      return true;
    }
    @SuppressWarnings("unchecked")
    List<Glob> globs = (List<Glob>) c.expected();
    return globs.stream().allMatch(Glob::anchored);
  }

  private Condition condition(String where, String name, Object value) {
    Type type = Condition.KNOWN.get(name);
    String field = where + " field 'when." + name + "'";
    if (type == null) {
      throw new PolicyException(field + ": unknown condition");
    }
    Object expected =
        switch (type) {
          case GLOBS ->
              YamlValues.strings(field, value).stream()
                  .map(s -> pattern(field, Glob::of, s))
                  .toList();
          case CONFIG_URIS ->
              YamlValues.strings(field, value).stream()
                  .map(s -> pattern(field, ConfigUriGlob::of, s))
                  .toList();
          case STRINGS -> YamlValues.strings(field, value);
          case IDS -> YamlValues.ids(field, value);
          case BOOLEAN -> {
            if (!(value instanceof Boolean b)) {
              throw new PolicyException(field + ": must be true or false");
            }
            yield b;
          }
          case ACCESS_AT_LEAST -> {
            if (!(value instanceof String s) || AccessLevel.named(s).isEmpty()) {
              throw new PolicyException(
                  field + ": must be an access level (developer, maintainer, owner, admin, ...)");
            }
            yield AccessLevel.named(s).get();
          }
          case AT_LEAST -> {
            if (!(value instanceof Integer n) || n < 0) {
              throw new PolicyException(field + ": must be a whole number >= 0");
            }
            yield n;
          }
        };
    return new Condition(name, type, expected);
  }

  private static <T> T pattern(String field, Function<String, T> parse, String pattern) {
    try {
      return parse.apply(pattern);
    } catch (IllegalArgumentException e) {
      throw new PolicyException(field + ": " + e.getMessage());
    }
  }

  private static String firstLine(String s) {
    return s == null ? "" : s.lines().findFirst().orElse("");
  }
}
