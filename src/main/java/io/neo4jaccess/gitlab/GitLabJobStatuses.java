package io.neo4jaccess.gitlab;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * {@link JobStatuses} from GitLab's Jobs API: https://docs.gitlab.com/api/jobs/#get-a-single-job
 */
@ApplicationScoped
public class GitLabJobStatuses implements JobStatuses {

  /** The status of a job GitLab no longer has, as {@link JobStatuses} documents it. */
  static final String GONE = "gone";

  private final GitLabClients clients;

  @Inject
  public GitLabJobStatuses(GitLabClients clients) {
    this.clients = clients;
  }

  @Override
  public Fact<String> status(String instance, long projectId, long jobId) {
    try {
      GitLabClient gitlab = clients.get(instance);
      ProtectionApi api = gitlab.api();
      // Read as a string: gitlab4j's JobStatus lacks newer values such as "canceling".
      JsonNode job = gitlab.call("job", () -> api.job(projectId, jobId));
      String status = job.path("status").asText(null);
      return status == null
          ? Fact.unavailable("gitlab job without status")
          : Fact.of(status, Fact.Source.GITLAB);
    } catch (GitLabUnavailable e) {
      // GitLab answers 404 for a job, or a project, it no longer has (or that the API token may no
      // longer see): either way no job of ours runs there any more.
      return e.httpStatus() == 404
          ? Fact.of(GONE, Fact.Source.GITLAB)
          : Fact.unavailable(e.reason());
    }
  }
}
