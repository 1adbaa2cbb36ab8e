package io.neo4jaccess.policy;

import io.neo4jaccess.gitlab.CiJob;
import io.neo4jaccess.gitlab.Fact;
import io.neo4jaccess.gitlab.ProtectionFacts;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * GitLab's facts for one evaluation, each read once and kept: every rule of the evaluation sees the
 * same value (a cache refresh half-way cannot make two rules disagree), and the decision records
 * exactly what it was made on. Not shared between threads: one per evaluation.
 */
final class RecordingFacts implements ProtectionFacts {

  private final ProtectionFacts gitlab;
  private final Map<String, Fact<?>> read = new LinkedHashMap<>();

  RecordingFacts(ProtectionFacts gitlab) {
    this.gitlab = gitlab;
  }

  /** The facts read so far, by condition name. */
  Map<String, Fact<?>> read() {
    return Map.copyOf(read);
  }

  /**
   * Reads the facts of the job that no rule consulted, so that a policy with other conditions can
   * be evaluated on this decision later: those the evaluator could ask of this job, no more (the
   * environment's only for a job that has one, its protection only for a job that deploys). They
   * come through the per-project cache, like the rest.
   */
  void readRemaining(CiJob job) {
    refProtected(job);
    if (job.environment() != null) {
      environmentTier(job);
      if (JobObserver.deploys(job)) {
        environmentProtected(job);
        deployersAccessLevel(job);
        requiredApprovals(job);
      }
    }
  }

  @Override
  public Fact<Boolean> refProtected(CiJob job) {
    return once("ref_protected", () -> gitlab.refProtected(job));
  }

  @Override
  public Fact<Boolean> environmentProtected(CiJob job) {
    return once("environment_protected", () -> gitlab.environmentProtected(job));
  }

  @Override
  public Fact<Integer> deployersAccessLevel(CiJob job) {
    return once("deployers", () -> gitlab.deployersAccessLevel(job));
  }

  @Override
  public Fact<Integer> requiredApprovals(CiJob job) {
    return once("required_approvals", () -> gitlab.requiredApprovals(job));
  }

  @Override
  public Fact<String> environmentTier(CiJob job) {
    return once("environment_tier", () -> gitlab.environmentTier(job));
  }

  @Override
  public void invalidate(String instance, long projectId) {
    gitlab.invalidate(instance, projectId);
  }

  @SuppressWarnings("unchecked")
  private <T> Fact<T> once(String condition, Supplier<Fact<T>> load) {
    return (Fact<T>) read.computeIfAbsent(condition, c -> load.get());
  }
}
