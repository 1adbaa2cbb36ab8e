package io.neo4jaccess.policy;

/**
 * A pattern for {@code ci_config_ref_uri}, which GitLab writes as {@code <host>/<project
 * path>//<config file>@<ref path>}, e.g. {@code
 * gitlab.example.com/my-group/my-project//.gitlab-ci.yml@refs/heads/main} (GitLab docs,
 * ci/secrets/id_token_authentication.md). The {@code //} is an empty segment, which no {@link Glob}
 * matches, so each side of it is a glob of its own: the project side and the file-and-ref side.
 */
final class ConfigUriGlob {

  private static final String SEPARATOR = "//";

  private final String pattern;
  private final Glob project;
  private final Glob file;

  private ConfigUriGlob(String pattern, Glob project, Glob file) {
    this.pattern = pattern;
    this.project = project;
    this.file = file;
  }

  /** Parses a pattern written as GitLab writes the claim, with exactly one {@code //}. */
  static ConfigUriGlob of(String pattern) {
    int at = pattern.indexOf(SEPARATOR);
    if (at < 0 || pattern.indexOf(SEPARATOR, at + 1) >= 0) {
      throw new IllegalArgumentException(
          "write it as GitLab writes the claim, with one '//' between the project and the"
              + " config file, e.g. gitlab.example.com/group/project//.gitlab-ci.yml@refs/heads/main");
    }
    return new ConfigUriGlob(
        pattern,
        Glob.of(pattern.substring(0, at)),
        Glob.of(pattern.substring(at + SEPARATOR.length())));
  }

  boolean matches(String value) {
    int at = value == null ? -1 : value.indexOf(SEPARATOR);
    return at >= 0
        && project.matches(value.substring(0, at))
        && file.matches(value.substring(at + SEPARATOR.length()));
  }

  @Override
  public String toString() {
    return pattern;
  }
}
