package io.neo4jaccess.policy;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One configured condition of a rule: a known name and its typed expected value. The set of names
 * is closed; an unknown one is a load error, not a condition that silently never holds.
 *
 * @param name the condition's name as written in the policy
 * @param type how the expected value is written and compared
 * @param expected the parsed value: {@code List<Glob>}, {@code List<ConfigUriGlob>}, {@code
 *     List<String>}, {@code List<Long>}, {@code Boolean}, {@link AccessLevel} or {@code Integer},
 *     by type
 */
public record Condition(String name, Type type, Object expected) {

  /** How an expected value is written and compared. */
  public enum Type {
    /** A glob or a list of globs; the observed path must match one. */
    GLOBS,
    /**
     * Like {@link #GLOBS}, for {@code ci_config_ref_uri}: a glob on each side of its {@code //}.
     */
    CONFIG_URIS,
    /** A string or a list of strings; the observed value must equal one. */
    STRINGS,
    /** A number or a list of numbers; the observed id must equal one. */
    IDS,
    /** {@code true} or {@code false}. */
    BOOLEAN,
    /** An access level name; the observed level must be at least that. */
    ACCESS_AT_LEAST,
    /** A whole number; the observed count must be at least that. */
    AT_LEAST
  }

  /** Conditions whose value is read from GitLab's API, so cost a (cached) call to evaluate. */
  static final Set<String> FROM_GITLAB =
      Set.of(
          "ref_protected",
          "environment_protected",
          "deployers",
          "required_approvals",
          "environment_tier");

  /** Conditions that identify the project or namespace: every rule needs one. */
  static final Set<String> ANCHORS =
      Set.of("project_id", "project_path", "namespace_id", "namespace_path");

  /** Every condition name the policy knows, with the type of its value. */
  static final Map<String, Type> KNOWN =
      Map.ofEntries(
          Map.entry("instance", Type.STRINGS),
          Map.entry("project_path", Type.GLOBS),
          Map.entry("namespace_path", Type.GLOBS),
          Map.entry("ref", Type.GLOBS),
          Map.entry("ref_path", Type.GLOBS),
          Map.entry("environment", Type.GLOBS),
          Map.entry("user_login", Type.GLOBS),
          Map.entry("ci_config_ref_uri", Type.CONFIG_URIS),
          Map.entry("project_id", Type.IDS),
          Map.entry("namespace_id", Type.IDS),
          Map.entry("user_id", Type.IDS),
          Map.entry("pipeline_source", Type.STRINGS),
          Map.entry("ref_type", Type.STRINGS),
          Map.entry("deployment_tier", Type.STRINGS),
          Map.entry("environment_action", Type.STRINGS),
          Map.entry("runner_environment", Type.STRINGS),
          Map.entry("project_visibility", Type.STRINGS),
          Map.entry("environment_tier", Type.STRINGS),
          Map.entry("ref_protected", Type.BOOLEAN),
          Map.entry("environment_protected", Type.BOOLEAN),
          Map.entry("fork", Type.BOOLEAN),
          Map.entry("user_access_level", Type.ACCESS_AT_LEAST),
          Map.entry("deployers", Type.ACCESS_AT_LEAST),
          Map.entry("required_approvals", Type.AT_LEAST));

  boolean fromGitLab() {
    return FROM_GITLAB.contains(name);
  }

  /** The expected value as the trace shows it. */
  Object expectedForTrace() {
    if (expected instanceof AccessLevel level) {
      return ">= " + level.label();
    }
    if (type == Type.AT_LEAST) {
      return ">= " + expected;
    }
    if (expected instanceof List<?> list) {
      return list.size() == 1
          ? String.valueOf(list.get(0))
          : list.stream().map(String::valueOf).toList();
    }
    return expected;
  }
}
