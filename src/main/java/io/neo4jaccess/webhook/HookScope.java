package io.neo4jaccess.webhook;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What one webhook may speak for: projects by id or path glob, groups by id or path; or, for the
 * instance-wide hook, everything. A scope is checked against the project as the broker recorded it
 * from verified ID tokens ({@link ProjectRecords}), never against the payload's description of
 * itself: whoever holds a hook's secret writes the payload.
 *
 * <p>Paths compare without regard to case: GitLab keeps full paths unique regardless of case (its
 * {@code Route} model validates {@code path} with {@code case_sensitive: false}, {@code
 * app/models/route.rb}), so {@code Platform/App} and {@code platform/app} are one project.
 */
final class HookScope {

  private static final HookScope INSTANCE_WIDE =
      new HookScope(true, Set.of(), List.of(), Set.of(), List.of());

  /** GitLab paths: letters, digits, {@code _ - . +}; segments separated by {@code /}. */
  private static final Pattern PATH = Pattern.compile("[a-z0-9_.+\\-]+(/[a-z0-9_.+\\-]+)*");

  /** As {@link #PATH}, with {@code *}. */
  private static final Pattern GLOB = Pattern.compile("[a-z0-9_.+*\\-]+(/[a-z0-9_.+*\\-]+)*");

  private static final Pattern ID = Pattern.compile("[0-9]+");

  private final boolean instanceWide;
  private final Set<Long> projectIds;
  private final List<Pattern> projectPaths;
  private final Set<Long> groupIds;
  private final List<String> groupPaths;

  private HookScope(
      boolean instanceWide,
      Set<Long> projectIds,
      List<Pattern> projectPaths,
      Set<Long> groupIds,
      List<String> groupPaths) {
    this.instanceWide = instanceWide;
    this.projectIds = projectIds;
    this.projectPaths = projectPaths;
    this.groupIds = groupIds;
    this.groupPaths = groupPaths;
  }

  /**
   * Every project of the instance: the instance's own {@code webhook-secret}/{@code
   * signing-secret}.
   */
  static HookScope instanceWide() {
    return INSTANCE_WIDE;
  }

  /**
   * A hook's scope from its configuration.
   *
   * @param where the hook's configuration prefix, for the refusal message
   * @throws IllegalStateException when it names nothing, or an entry is neither an id nor a path
   */
  static HookScope of(String where, List<String> projects, List<String> groups) {
    Set<Long> projectIds = new HashSet<>();
    List<Pattern> projectPaths = new ArrayList<>();
    Set<Long> groupIds = new HashSet<>();
    List<String> groupPaths = new ArrayList<>();
    for (String entry : projects) {
      String value = normalised(entry);
      if (ID.matcher(value).matches()) {
        projectIds.add(id(where + ".projects", value));
      } else if (projectGlob(value)) {
        projectPaths.add(glob(value));
      } else {
        throw refused(where + ".projects", entry);
      }
    }
    for (String entry : groups) {
      String value = normalised(entry);
      if (ID.matcher(value).matches()) {
        groupIds.add(id(where + ".groups", value));
      } else if (PATH.matcher(value).matches()) {
        groupPaths.add(value);
      } else {
        throw refused(where + ".groups", entry);
      }
    }
    if (projectIds.isEmpty()
        && projectPaths.isEmpty()
        && groupIds.isEmpty()
        && groupPaths.isEmpty()) {
      throw new IllegalStateException(
          where
              + " names no projects and no groups: a hook must say what it may speak for (an"
              + " instance-wide hook is the instance's webhook-secret / signing-secret)");
    }
    return new HookScope(
        false, Set.copyOf(projectIds), List.copyOf(projectPaths), Set.copyOf(groupIds), groupPaths);
  }

  boolean isInstanceWide() {
    return instanceWide;
  }

  /** False when the project id alone decides; true when its recorded path or group is needed. */
  boolean needsRecord(long projectId) {
    return !instanceWide && !projectIds.contains(projectId);
  }

  /**
   * True when the hook may speak for the project.
   *
   * @param recorded the project as the broker recorded it, or null when it has no record of it
   *     (then only the instance-wide scope and project ids can cover it)
   */
  boolean covers(long projectId, ProjectRecords.Project recorded) {
    if (!needsRecord(projectId)) {
      return true;
    }
    if (recorded == null || recorded.id() != projectId || recorded.path() == null) {
      return false;
    }
    String path = recorded.path().toLowerCase(Locale.ROOT);
    return groupIds.contains(recorded.namespaceId())
        || projectPaths.stream().anyMatch(p -> p.matcher(path).matches())
        || groupPaths.stream().anyMatch(g -> path.startsWith(g + "/"));
  }

  private static String normalised(String entry) {
    return entry.strip().replaceAll("/+$", "").toLowerCase(Locale.ROOT);
  }

  /**
   * Ids start at 1: a project recorded without a namespace id reads as 0 and must match nothing.
   */
  private static long id(String key, String value) {
    try {
      long id = Long.parseLong(value);
      if (id >= 1) {
        return id;
      }
    } catch (NumberFormatException e) {
      // beyond any id: refused below
    }
    throw refused(key, value);
  }

  /**
   * A project's full path, {@code *} allowed within segments: at least a group and a project, the
   * group literal (a scope is anchored), no {@code **} (a whole subtree is a group's path).
   */
  private static boolean projectGlob(String value) {
    return GLOB.matcher(value).matches()
        && value.contains("/")
        && !value.substring(0, value.indexOf('/')).contains("*")
        && !value.contains("**");
  }

  /** Each {@code *} matches any run of characters within one path segment. */
  private static Pattern glob(String value) {
    StringBuilder regex = new StringBuilder();
    String[] literals = value.split("\\*", -1);
    for (int i = 0; i < literals.length; i++) {
      if (i > 0) {
        regex.append("[^/]*");
      }
      regex.append(Pattern.quote(literals[i]));
    }
    return Pattern.compile(regex.toString());
  }

  private static IllegalStateException refused(String key, String entry) {
    return new IllegalStateException(
        key
            + " holds '"
            + entry
            + "', which is neither a numeric id nor a GitLab path (projects: group/project, where"
            + " * matches within one segment after the first; groups: a group's full path)");
  }
}
