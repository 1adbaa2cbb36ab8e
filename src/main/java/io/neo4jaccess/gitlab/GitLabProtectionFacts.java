package io.neo4jaccess.gitlab;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.function.Function;
import org.gitlab4j.api.models.ProtectedBranch;
import org.gitlab4j.api.models.ProtectedTag;

/**
 * {@link ProtectionFacts} read from GitLab's REST API with gitlab4j, one client per configured
 * instance, cached per instance and project.
 *
 * <p>Cache layout (all under the job's project, so {@link #invalidate} drops everything a webhook
 * may have changed): the project's protected branch names, its protected tag names, and per
 * environment name: the combined protection (project level + group level by tier) and the
 * environment record (tier, state). One exchange on a cold cache therefore costs at most four
 * calls: protected branches <em>or</em> tags, project protected environment, group protected
 * environment, environment by name; a warm cache costs none.
 *
 * <p>Fail closed: every failure is a {@link Fact#unavailable} with a short reason. On GitLab Free
 * the protected-environment endpoints answer 403 or 404; that is read as "not protected" (deployers
 * 30, approvals 0), which is the least-protected answer, so a rule that demands protection simply
 * does not match.
 *
 * <p>A job without an environment has no environment facts: they are unavailable with reason {@code
 * job has no environment}, and no call is made.
 */
@ApplicationScoped
public class GitLabProtectionFacts implements ProtectionFacts {

  static final String NO_ENVIRONMENT = "job has no environment";

  private final GitLabClients clients;

  @Inject
  public GitLabProtectionFacts(GitLabClients clients) {
    this.clients = clients;
  }

  @Override
  public Fact<Boolean> refProtected(CiJob job) {
    try {
      GitLabClient gitlab = clients.get(job.instance());
      ProtectionApi api = gitlab.api();
      long project = job.project().id();
      CachedFacts.Read<List<String>> rules =
          switch (String.valueOf(job.ref().type())) {
            case "branch" ->
                gitlab
                    .facts()
                    .cached(
                        project,
                        "protected_branches",
                        () ->
                            gitlab
                                .allPages(
                                    "protected_branches",
                                    page -> api.protectedBranches(project, page))
                                .stream()
                                .map(ProtectedBranch::getName)
                                .toList());
            case "tag" ->
                gitlab
                    .facts()
                    .cached(
                        project,
                        "protected_tags",
                        () ->
                            gitlab
                                .allPages(
                                    "protected_tags", page -> api.protectedTags(project, page))
                                .stream()
                                .map(ProtectedTag::getName)
                                .toList());
            default -> throw new GitLabUnavailable("unknown ref type");
          };
      boolean covered =
          rules.value().stream().anyMatch(rule -> RefPattern.matches(rule, job.ref().name()));
      return fact(covered, rules.cached());
    } catch (GitLabUnavailable e) {
      return Fact.unavailable(e.reason());
    }
  }

  @Override
  public Fact<Boolean> environmentProtected(CiJob job) {
    return protection(job, EnvironmentProtection::isProtected);
  }

  @Override
  public Fact<Integer> deployersAccessLevel(CiJob job) {
    return protection(job, EnvironmentProtection::deployersAccessLevel);
  }

  @Override
  public Fact<Integer> requiredApprovals(CiJob job) {
    return protection(job, EnvironmentProtection::requiredApprovals);
  }

  @Override
  public Fact<String> environmentTier(CiJob job) {
    return environmentField(job, "tier");
  }

  @Override
  public Fact<String> environmentState(CiJob job) {
    return environmentField(job, "state");
  }

  @Override
  public void invalidate(String instance, long projectId) {
    try {
      clients.get(instance).facts().invalidate(projectId);
    } catch (GitLabUnavailable unknownInstance) {
      // nothing is cached for an instance that is not configured
    }
  }

  // --- environments ---------------------------------------------------------------------------

  private <T> Fact<T> protection(CiJob job, Function<EnvironmentProtection, T> field) {
    if (job.environment() == null) {
      return Fact.unavailable(NO_ENVIRONMENT);
    }
    try {
      GitLabClient gitlab = clients.get(job.instance());
      CachedFacts.Read<EnvironmentProtection> p =
          gitlab
              .facts()
              .cached(
                  job.project().id(),
                  "environment_protection:" + job.environment().name(),
                  () -> loadProtection(gitlab, job));
      return fact(field.apply(p.value()), p.cached());
    } catch (GitLabUnavailable e) {
      return Fact.unavailable(e.reason());
    }
  }

  /** Project-level protection of the name, then group-level protection of the tier. */
  private EnvironmentProtection loadProtection(GitLabClient gitlab, CiJob job)
      throws GitLabUnavailable {
    ProtectionApi api = gitlab.api();
    EnvironmentProtection project =
        premium(
            gitlab,
            "protected_environment",
            "project " + job.project().id(),
            () -> api.projectProtectedEnvironment(job.project().id(), job.environment().name()));
    // The token's deployment_tier is GitLab's own statement of the tier at job start; read the
    // environment only when the token has none.
    String tier =
        job.environment().tier() != null
            ? job.environment().tier()
            : environment(gitlab, job).value().path("tier").asText(null);
    if (tier == null || job.project().namespaceId() <= 0) {
      return project;
    }
    EnvironmentProtection group =
        premium(
            gitlab,
            "group_protected_environment",
            "group " + job.project().namespaceId(),
            () -> api.groupProtectedEnvironment(job.project().namespaceId(), tier));
    return project.and(group);
  }

  /**
   * A Premium-only read. 404 means "not protected" (and is also what Free answers for some routes);
   * 403 is what Free answers when the feature is not licensed. Both are the fact "unprotected",
   * never an error. A user namespace also answers 404 on the group route. As 403 is also what a
   * token too weak to read them gets on Premium, the first one is a warning to the operator.
   */
  private static EnvironmentProtection premium(
      GitLabClient gitlab, String endpoint, String where, GitLabClient.Call<JsonNode> call)
      throws GitLabUnavailable {
    try {
      return EnvironmentProtection.fromJson(gitlab.call(endpoint, call));
    } catch (GitLabUnavailable e) {
      if (e.httpStatus() == 403) {
        gitlab.protectedEnvironmentsForbidden(where);
      }
      if (e.httpStatus() == 403 || e.httpStatus() == 404) {
        return EnvironmentProtection.NONE;
      }
      throw e;
    }
  }

  private Fact<String> environmentField(CiJob job, String field) {
    if (job.environment() == null) {
      return Fact.unavailable(NO_ENVIRONMENT);
    }
    try {
      CachedFacts.Read<JsonNode> env = environment(clients.get(job.instance()), job);
      // Plain strings on purpose: gitlab4j's EnvironmentState has no "stopping" and would turn it
      // into null, which a policy could not tell from "no state".
      String value = env.value().path(field).asText(null);
      return value == null
          ? Fact.unavailable("gitlab environment without " + field)
          : fact(value, env.cached());
    } catch (GitLabUnavailable e) {
      return Fact.unavailable(e.reason());
    }
  }

  private static CachedFacts.Read<JsonNode> environment(GitLabClient gitlab, CiJob job)
      throws GitLabUnavailable {
    ProtectionApi api = gitlab.api();
    return gitlab
        .facts()
        .cached(
            job.project().id(),
            "environment:" + job.environment().name(),
            () -> {
              JsonNode list =
                  gitlab.call(
                      "environments",
                      () -> api.environmentsNamed(job.project().id(), job.environment().name()));
              for (JsonNode env : list) {
                if (job.environment().name().equals(env.path("name").asText())) {
                  return env;
                }
              }
              throw new GitLabUnavailable("gitlab environment not found");
            });
  }

  // --- helpers --------------------------------------------------------------------------------

  private static <T> Fact<T> fact(T value, boolean cached) {
    return Fact.of(value, cached ? Fact.Source.CACHE : Fact.Source.GITLAB);
  }
}
