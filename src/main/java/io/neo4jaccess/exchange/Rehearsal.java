package io.neo4jaccess.exchange;

import io.neo4jaccess.gitlab.GitLabClients;
import io.neo4jaccess.gitlab.GitLabConfig;
import io.neo4jaccess.support.UntilDone;
import io.neo4jaccess.token.RehearsalTokens;
import io.neo4jaccess.token.TokenConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import org.eclipse.microprofile.context.ManagedExecutor;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.logging.Logger;

/**
 * Rehearses the exchange at start, in the background, and holds readiness until it has run once: a
 * token made for rehearsals goes through the whole checklist ({@link RehearsalTokens}), the policy
 * decides, the lease's writes run in a transaction that is rolled back and each target plans a
 * user's creation ({@link ExchangeService#rehearse}), and each GitLab instance's API client makes
 * its first request ({@link GitLabClients#rehearse}), and the facts of the jobs seen lately are
 * read into the cache ({@link FactPrefetch}). Nothing is issued. Without it the first job after
 * every start paid for loading and first running all of that: seconds on a small machine. A
 * rehearsal that failed (the state store was down, say) runs again at the next readiness check.
 */
@Readiness
@ApplicationScoped
public class Rehearsal implements HealthCheck {

  private static final Logger LOG = Logger.getLogger(Rehearsal.class);

  private final ExchangeService exchanges;
  private final GitLabConfig gitlab;
  private final GitLabClients gitlabClients;
  private final TokenConfig tokens;
  private final FactPrefetch prefetch;
  private final ManagedExecutor executor;
  private final UntilDone rehearsal = new UntilDone(this::rehearse);

  @Inject
  Rehearsal(
      ExchangeService exchanges,
      GitLabConfig gitlab,
      GitLabClients gitlabClients,
      TokenConfig tokens,
      FactPrefetch prefetch,
      ManagedExecutor executor) {
    this.exchanges = exchanges;
    this.gitlab = gitlab;
    this.gitlabClients = gitlabClients;
    this.tokens = tokens;
    this.prefetch = prefetch;
    this.executor = executor;
  }

  /** Early in the start, so that it runs while the rest of the start does. */
  void rehearseAtStart(@Observes @Priority(2) StartupEvent started) {
    rehearsal.check();
  }

  @Override
  public HealthCheckResponse call() {
    UntilDone.Status status = rehearsal.check();
    return HealthCheckResponse.named("exchange rehearsal")
        .status(status == UntilDone.Status.DONE)
        .withData("rehearsal", status.name().toLowerCase(Locale.ROOT))
        .build();
  }

  /**
   * One rehearsal: GitLab's clients, the recent jobs' facts and the rest at once, as each waits on
   * its own servers.
   */
  private CompletableFuture<?> rehearse() {
    return CompletableFuture.allOf(
        CompletableFuture.runAsync(this::exchange, executor),
        CompletableFuture.runAsync(gitlabClients::rehearse, executor),
        CompletableFuture.runAsync(prefetch::run, executor));
  }

  private void exchange() {
    long started = System.nanoTime();
    try {
      String instance = gitlab.instances().keySet().iterator().next();
      exchanges.rehearse(RehearsalTokens.verifiedClaims(instance, tokens));
      LOG.infof("exchange rehearsed: took=%dms", (System.nanoTime() - started) / 1_000_000);
    } catch (RuntimeException e) {
      // The class only: a driver's message may quote the statement.
      LOG.warnf("exchange rehearsal failed, not ready yet: cause=%s", e.getClass().getName());
      throw e;
    }
  }
}
