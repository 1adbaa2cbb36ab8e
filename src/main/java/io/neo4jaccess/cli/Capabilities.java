package io.neo4jaccess.cli;

import io.neo4jaccess.neo4j.Neo4jTarget;
import io.neo4jaccess.neo4j.TargetConfig;
import io.neo4jaccess.policy.TargetLimits;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.WithDefault;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * What a broker's configuration tells the policy, without a broker: the GitLab instances' names and
 * each target's edition, maximum TTL, default database and whether the Bolt gateway fronts it. Read
 * from a targets file, or from the broker's own configuration keys (a properties file and the
 * environment).
 *
 * @param instances the GitLab instances' names
 * @param targets each target's limits, by name
 */
record Capabilities(Set<String> instances, Map<String, TargetLimits> targets) {

  /** Reading failed; the message names the file, target and field. */
  static final class Invalid extends RuntimeException {
    Invalid(String message) {
      super(message);
    }
  }

  private static final Set<String> FILE_KEYS = Set.of("instances", "targets");
  private static final Set<String> TARGET_KEYS =
      Set.of("edition", "max_ttl", "database", "gateway");
  private static final Pattern TARGET_KEY =
      Pattern.compile("broker\\.neo4j\\.targets\\.([^.]+)\\.([a-z.-]+)");
  private static final Pattern INSTANCE_KEY =
      Pattern.compile("broker\\.gitlab\\.instances\\.([^.]+)\\.url");
  private static final Pattern TARGET_ENV =
      Pattern.compile(
          "BROKER_NEO4J_TARGETS_([A-Z0-9]+)_(EDITION|MAX_TTL|DATABASE|URI|GATEWAY_ENABLED)");
  private static final Pattern INSTANCE_ENV =
      Pattern.compile("BROKER_GITLAB_INSTANCES_([A-Z0-9]+)_URL");

  /**
   * Reads a targets file:
   *
   * <pre>
   * instances: [main]
   * targets:
   *   staging: {edition: community, max_ttl: 1h}
   *   production: {edition: enterprise, max_ttl: 30m, database: neo4j}
   *   reports: {edition: community, gateway: true}
   * </pre>
   */
  static Capabilities fromFile(Path file) {
    Object root;
    try (Reader in = Files.newBufferedReader(file)) {
      root = new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
    } catch (IOException | RuntimeException e) {
      throw new Invalid("cannot read targets file " + file + ": " + firstLine(e.getMessage()));
    }
    Map<String, Object> top = map(root, file + "");
    unknown(top, FILE_KEYS, file.toString());
    if (!(top.get("instances") instanceof List<?> names)
        || names.isEmpty()
        || !names.stream().allMatch(String.class::isInstance)) {
      throw new Invalid(file + " field 'instances': must list the GitLab instances' names");
    }
    Map<String, TargetLimits> targets = new LinkedHashMap<>();
    map(top.get("targets"), file + " field 'targets'")
        .forEach(
            (name, node) -> {
              String where = file + " target '" + name + "'";
              Map<String, Object> t = map(node, where);
              unknown(t, TARGET_KEYS, where);
              targets.put(
                  name,
                  limits(
                      where,
                      str(t.get("edition")),
                      str(t.get("max_ttl")),
                      str(t.get("database")),
                      str(t.get("gateway")),
                      "field 'edition'",
                      "field 'max_ttl'",
                      "field 'gateway'"));
            });
    return new Capabilities(new TreeSet<>(names.stream().map(String::valueOf).toList()), targets);
  }

  /**
   * Reads the broker's configuration keys ({@code broker.gitlab.instances.<name>.url}, {@code
   * broker.neo4j.targets.<name>.edition|max-ttl|database|gateway.enabled}) from a properties file
   * and the environment ({@code BROKER_NEO4J_TARGETS_STAGING_MAX_TTL}: names in lower case), the
   * environment winning as it does for the broker.
   */
  static Capabilities fromConfig(Optional<Path> properties, Map<String, String> env) {
    Map<String, String> keys = new LinkedHashMap<>();
    properties.ifPresent(p -> keys.putAll(load(p)));
    keys.putAll(fromEnvironment(env));
    Set<String> instances = new TreeSet<>();
    Map<String, Map<String, String>> byTarget = new LinkedHashMap<>();
    keys.forEach(
        (key, value) -> {
          Matcher i = INSTANCE_KEY.matcher(key);
          if (i.matches()) {
            instances.add(i.group(1));
          }
          Matcher t = TARGET_KEY.matcher(key);
          if (t.matches()) {
            byTarget.computeIfAbsent(t.group(1), n -> new LinkedHashMap<>()).put(t.group(2), value);
          }
        });
    if (instances.isEmpty()) {
      throw new Invalid(
          "the configuration names no GitLab instance (broker.gitlab.instances.<name>.url)");
    }
    Map<String, TargetLimits> targets = new LinkedHashMap<>();
    byTarget.forEach(
        (name, t) ->
            targets.put(
                name,
                limits(
                    "target '" + name + "'",
                    t.get("edition"),
                    t.get("max-ttl"),
                    t.get("database"),
                    t.get("gateway.enabled"),
                    "key broker.neo4j.targets." + name + ".edition",
                    "key broker.neo4j.targets." + name + ".max-ttl",
                    "key broker.neo4j.targets." + name + ".gateway.enabled")));
    return new Capabilities(instances, targets);
  }

  Optional<TargetLimits> limits(String target) {
    return Optional.ofNullable(targets.get(target));
  }

  /** Defaults as the broker has them: those of {@link TargetConfig.Target}. */
  private static TargetLimits limits(
      String where,
      String edition,
      String maxTtl,
      String database,
      String gateway,
      String editionField,
      String maxTtlField,
      String gatewayField) {
    if (edition == null || !Set.of("community", "enterprise").contains(edition)) {
      throw new Invalid(
          where
              + " "
              + editionField
              + ": must be community or enterprise; the edition decides which grants are valid");
    }
    Duration ttl;
    try {
      ttl = DurationConverter.parseDuration(maxTtl == null ? defaultOf("maxTtl") : maxTtl);
    } catch (IllegalArgumentException e) {
      throw new Invalid(where + " " + maxTtlField + ": must be a duration such as 30m or 1h");
    }
    if (gateway != null && !Set.of("true", "false").contains(gateway)) {
      throw new Invalid(where + " " + gatewayField + ": must be true or false");
    }
    return Neo4jTarget.limits(
        edition.equals("enterprise"),
        ttl,
        database == null ? defaultOf("database") : database,
        Boolean.parseBoolean(gateway));
  }

  private static String defaultOf(String property) {
    try {
      return TargetConfig.Target.class.getMethod(property).getAnnotation(WithDefault.class).value();
    } catch (NoSuchMethodException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * {@code BROKER_NEO4J_TARGETS_STAGING_MAX_TTL} as {@code broker.neo4j.targets.staging.max-ttl}.
   */
  private static Map<String, String> fromEnvironment(Map<String, String> env) {
    Map<String, String> keys = new LinkedHashMap<>();
    env.forEach(
        (name, value) -> {
          Matcher t = TARGET_ENV.matcher(name);
          if (t.matches()) {
            keys.put(
                "broker.neo4j.targets."
                    + t.group(1).toLowerCase(Locale.ROOT)
                    + "."
                    + (t.group(2).equals("GATEWAY_ENABLED")
                        ? "gateway.enabled"
                        : t.group(2).toLowerCase(Locale.ROOT).replace('_', '-')),
                value);
          }
          Matcher i = INSTANCE_ENV.matcher(name);
          if (i.matches()) {
            keys.put(
                "broker.gitlab.instances." + i.group(1).toLowerCase(Locale.ROOT) + ".url", value);
          }
        });
    return keys;
  }

  private static Map<String, String> load(Path file) {
    Properties p = new Properties();
    try (Reader in = Files.newBufferedReader(file)) {
      p.load(in);
    } catch (IOException e) {
      throw new Invalid("cannot read " + file + ": " + e.getMessage());
    }
    Map<String, String> keys = new LinkedHashMap<>();
    p.stringPropertyNames().forEach(k -> keys.put(k, p.getProperty(k)));
    return keys;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object node, String where) {
    if (!(node instanceof Map<?, ?> m) || !m.keySet().stream().allMatch(String.class::isInstance)) {
      throw new Invalid(where + ": must be a mapping");
    }
    return (Map<String, Object>) m;
  }

  private static void unknown(Map<String, Object> m, Set<String> known, String where) {
    for (String k : m.keySet()) {
      if (!known.contains(k)) {
        throw new Invalid(where + ": unknown field '" + k + "'");
      }
    }
  }

  private static String str(Object v) {
    return v == null ? null : String.valueOf(v);
  }

  private static String firstLine(String s) {
    return s == null ? "" : s.lines().findFirst().orElse("");
  }
}
