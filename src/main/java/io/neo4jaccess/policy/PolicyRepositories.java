package io.neo4jaccess.policy;

import io.neo4jaccess.token.GitLabClaims;
import java.util.List;
import java.util.Set;

/**
 * The projects named in {@code broker.policy.repositories}, whose jobs may evaluate candidate
 * policies. A job counts only when both the project its token names and the project it runs in are
 * the repository (GitLab 18.4+ tells them apart): a fork's merge request pipeline is not the
 * repository's.
 */
public final class PolicyRepositories {

  private record Repository(String instance, String path) {}

  private final List<Repository> repositories;

  /**
   * @param configured each {@code <instance>:<project path>}
   * @param instances the configured GitLab instances' names
   * @throws PolicyException naming the entry that is not one
   */
  public PolicyRepositories(List<String> configured, Set<String> instances) {
    this.repositories =
        configured.stream()
            .map(
                entry -> {
                  int colon = entry.indexOf(':');
                  String instance = colon < 0 ? "" : entry.substring(0, colon);
                  String path = entry.substring(colon + 1);
                  if (!instances.contains(instance)
                      || !path.matches("[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)+")) {
                    throw new PolicyException(
                        "broker.policy.repositories: '"
                            + entry
                            + "' must be <instance>:<group>/<project> with a configured GitLab"
                            + " instance, e.g. main:platform/access-policy");
                  }
                  return new Repository(instance, path);
                })
            .toList();
  }

  /** True when the job of these verified claims runs in a policy repository, and not a fork's. */
  public boolean covers(GitLabClaims claims) {
    return repositories.stream()
        .anyMatch(
            r ->
                r.instance().equals(claims.instance())
                    && r.path().equals(claims.projectPath())
                    && r.path().equals(claims.runningProjectPath()));
  }
}
