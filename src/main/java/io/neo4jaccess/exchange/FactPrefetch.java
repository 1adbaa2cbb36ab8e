package io.neo4jaccess.exchange;

import io.neo4jaccess.gitlab.CiJob;
import io.neo4jaccess.gitlab.GitLabConfig;
import io.neo4jaccess.lease.Decisions;
import io.neo4jaccess.policy.PolicyService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Reads into the fact cache, before the broker turns ready, the GitLab facts of the jobs decided
 * most recently: the cache lives in memory and is empty after every start, so without this the
 * first job of every busy project after a deploy waited for GitLab. Best effort: the facts follow
 * the cache's TTL and refresh as any others, and an instance that does not answer, an unreadable
 * state store or the end of {@code broker.gitlab.fact-prefetch-budget} only end it early.
 */
@ApplicationScoped
public class FactPrefetch {

  private static final Logger LOG = Logger.getLogger(FactPrefetch.class);

  /** Decisions read per job wanted: a busy project's many jobs share one set of facts. */
  private static final int DECISIONS_PER_JOB = 10;

  /** What one job's facts are cached under: jobs alike in these read the same cache entries. */
  private record FactsOf(
      String instance, long project, String refType, String environment, String action) {

    static FactsOf of(CiJob job) {
      return new FactsOf(
          job.instance(),
          job.project().id(),
          job.ref().type(),
          job.environmentName(),
          job.environment() == null ? null : job.environment().action());
    }
  }

  private final Decisions decisions;
  private final PolicyService policy;
  private final GitLabConfig config;
  private final Clock clock;

  @Inject
  FactPrefetch(Decisions decisions, PolicyService policy, GitLabConfig config, Clock clock) {
    this.decisions = decisions;
    this.policy = policy;
    this.config = config;
    this.clock = clock;
  }

  /** Reads what it can within the budget; never throws. */
  void run() {
    int size = config.factPrefetchSize();
    Duration window = config.factPrefetchWindow();
    if (size <= 0 || window.isZero() || window.isNegative()) {
      return;
    }
    long started = System.nanoTime();
    long deadline = started + config.factPrefetchBudget().toNanos();
    try {
      Collection<CiJob> jobs = recentJobs(window, size);
      int read = read(jobs, deadline);
      LOG.infof(
          "facts prefetched: jobs=%d of %d took=%dms",
          read, jobs.size(), (System.nanoTime() - started) / 1_000_000);
    } catch (RuntimeException e) {
      // The class only: a driver's message may quote the statement.
      LOG.warnf("fact prefetch skipped: cause=%s", e.getClass().getName());
    }
  }

  /** One job per set of cache entries, newest first, at most {@code size}. */
  private Collection<CiJob> recentJobs(Duration window, int size) {
    List<Decisions.Recorded> recent =
        decisions.since(clock.instant().minus(window), size * DECISIONS_PER_JOB);
    Map<FactsOf, CiJob> jobs = new LinkedHashMap<>();
    for (Decisions.Recorded decision : recent) {
      if (jobs.size() == size) {
        break;
      }
      jobs.putIfAbsent(FactsOf.of(decision.job()), decision.job());
    }
    return jobs.values();
  }

  /** How many jobs' facts were read; an instance that did not answer is asked nothing more. */
  private int read(Collection<CiJob> jobs, long deadline) {
    Set<String> unanswered = new HashSet<>();
    int read = 0;
    for (CiJob job : jobs) {
      if (System.nanoTime() - deadline >= 0) {
        LOG.infof("fact prefetch ended by its budget: jobs left=%d", jobs.size() - read);
        break;
      }
      if (unanswered.contains(job.instance())) {
        continue;
      }
      if (policy.readFacts(job)) {
        read++;
      } else {
        LOG.warnf("fact prefetch: GitLab did not answer, skipping instance=%s", job.instance());
        unanswered.add(job.instance());
      }
    }
    return read;
  }
}
