package io.neo4jaccess.gitlab;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executor;
import org.eclipse.microprofile.context.ManagedExecutor;

/**
 * One {@link GitLabClient} per configured instance, shared by everything that reads GitLab's API
 * (protection facts, job status), so that one instance has one cache and one rate-limit window.
 */
@ApplicationScoped
public class GitLabClients {

  private final Map<String, GitLabClient> clients = new LinkedHashMap<>();

  @Inject
  public GitLabClients(
      GitLabConfig config, Clock clock, MeterRegistry meters, ManagedExecutor refreshes) {
    this(config, clock, meters, (Executor) refreshes);
  }

  /** For tests: no CDI; background refreshes run on the given executor. */
  GitLabClients(GitLabConfig config, Clock clock, MeterRegistry meters, Executor refreshes) {
    config
        .instances()
        .forEach(
            (name, instance) ->
                clients.put(
                    name,
                    new GitLabClient(
                        name,
                        instance,
                        config.factCacheTtl(),
                        config.factCacheSize(),
                        config.apiTimeout(),
                        clock,
                        meters,
                        refreshes)));
  }

  /** The client of a configured instance. */
  GitLabClient get(String instance) throws GitLabUnavailable {
    GitLabClient client = clients.get(instance);
    if (client == null) {
      throw new GitLabUnavailable("unknown gitlab instance");
    }
    return client;
  }

  /** Rehearses each instance's client ({@link GitLabClient#rehearse}). */
  public void rehearse() {
    clients.values().forEach(GitLabClient::rehearse);
  }

  /** For tests: how many projects an instance currently caches. */
  int cachedProjects(String instance) {
    return clients.get(instance).facts().projectCount();
  }

  @PreDestroy
  void close() {
    clients.values().forEach(GitLabClient::close);
  }
}
