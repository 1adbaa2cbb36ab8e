package io.neo4jaccess.gitlab;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.ws.rs.core.GenericType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.gitlab4j.api.AbstractApi;
import org.gitlab4j.api.GitLabApi;
import org.gitlab4j.api.GitLabApiException;
import org.gitlab4j.api.GitLabApiForm;
import org.gitlab4j.api.models.ProtectedBranch;
import org.gitlab4j.api.models.ProtectedTag;

/**
 * The few GitLab reads the broker needs, on gitlab4j's own client plumbing (its Jersey client,
 * authentication, timeouts and error mapping to {@link GitLabApiException} with status and
 * headers).
 *
 * <p>Why not gitlab4j's typed APIs everywhere: gitlab4j 6.2.0 has no protected-environments API at
 * all, and its {@code Environment}/{@code Job} enums lack {@code stopping}, {@code canceling},
 * {@code blocked}, ... which would read as null; those payloads are read as JSON and their state
 * fields as plain strings. Lists are read one page per call so that every HTTP request is visible
 * to the caller (it counts and rate-limits them).
 */
final class ProtectionApi extends AbstractApi {

  /** GitLab's maximum page size: https://docs.gitlab.com/api/rest/#offset-based-pagination */
  static final int PER_PAGE = 100;

  /** One page of a list and whether GitLab says there is another ({@code X-Next-Page}). */
  record Page<T>(List<T> items, boolean hasNext) {}

  ProtectionApi(GitLabApi gitLabApi) {
    super(gitLabApi);
  }

  /** https://docs.gitlab.com/api/protected_branches/#list-protected-branches */
  Page<ProtectedBranch> protectedBranches(long projectId, int page) throws GitLabApiException {
    Response r =
        get(Response.Status.OK, pageParams(page), "projects", projectId, "protected_branches");
    return new Page<>(r.readEntity(new GenericType<List<ProtectedBranch>>() {}), hasNext(r));
  }

  /** https://docs.gitlab.com/api/protected_tags/#list-protected-tags */
  Page<ProtectedTag> protectedTags(long projectId, int page) throws GitLabApiException {
    Response r = get(Response.Status.OK, pageParams(page), "projects", projectId, "protected_tags");
    return new Page<>(r.readEntity(new GenericType<List<ProtectedTag>>() {}), hasNext(r));
  }

  /**
   * {@code GET /projects/:id/protected_environments/:name} (Premium):
   * https://docs.gitlab.com/api/protected_environments/#get-a-single-protected-environment
   */
  JsonNode projectProtectedEnvironment(long projectId, String name) throws GitLabApiException {
    return get(
            Response.Status.OK,
            null,
            "projects",
            projectId,
            "protected_environments",
            urlEncode(name))
        .readEntity(JsonNode.class);
  }

  /**
   * {@code GET /groups/:id/protected_environments/:name}, where name is a deployment tier
   * (Premium):
   * https://docs.gitlab.com/api/group_protected_environments/#get-a-single-protected-environment
   */
  JsonNode groupProtectedEnvironment(long groupId, String tier) throws GitLabApiException {
    return get(
            Response.Status.OK, null, "groups", groupId, "protected_environments", urlEncode(tier))
        .readEntity(JsonNode.class);
  }

  /**
   * {@code GET /projects/:id/environments?name=} (exact name, unlike {@code search}):
   * https://docs.gitlab.com/api/environments/#list-environments
   */
  JsonNode environmentsNamed(long projectId, String name) throws GitLabApiException {
    GitLabApiForm query = new GitLabApiForm().withParam("name", name);
    return get(Response.Status.OK, query.asMap(), "projects", projectId, "environments")
        .readEntity(JsonNode.class);
  }

  /** https://docs.gitlab.com/api/jobs/#get-a-single-job */
  JsonNode job(long projectId, long jobId) throws GitLabApiException {
    return get(Response.Status.OK, null, "projects", projectId, "jobs", jobId)
        .readEntity(JsonNode.class);
  }

  /** https://docs.gitlab.com/api/version/ */
  JsonNode version() throws GitLabApiException {
    return get(Response.Status.OK, null, "version").readEntity(JsonNode.class);
  }

  private static jakarta.ws.rs.core.MultivaluedMap<String, String> pageParams(int page) {
    return new GitLabApiForm()
        .withParam(PER_PAGE_PARAM, PER_PAGE)
        .withParam(PAGE_PARAM, page)
        .asMap();
  }

  private static boolean hasNext(Response response) {
    String next = response.getHeaderString(NEXT_PAGE_HEADER);
    return next != null && !next.isBlank();
  }
}
