package io.neo4jaccess.policy;

import io.neo4jaccess.gitlab.CiJob;
import io.neo4jaccess.gitlab.Fact;
import io.neo4jaccess.gitlab.ProtectionFacts;

/** GitLab as the policy tests need it: a fixed answer per fact, counting the lookups. */
public final class FixedFacts implements ProtectionFacts {

  private final Fact<Boolean> refProtected;
  private final Fact<Boolean> environmentProtected;
  private final Fact<Integer> deployers;
  private final Fact<Integer> approvals;
  private final Fact<String> tier;
  int calls;

  FixedFacts(
      Fact<Boolean> refProtected,
      Fact<Boolean> environmentProtected,
      Fact<Integer> deployers,
      Fact<Integer> approvals,
      Fact<String> tier) {
    this.refProtected = refProtected;
    this.environmentProtected = environmentProtected;
    this.deployers = deployers;
    this.approvals = approvals;
    this.tier = tier;
  }

  /** A production environment with no approval rule. */
  FixedFacts(
      Fact<Boolean> refProtected, Fact<Boolean> environmentProtected, Fact<Integer> deployers) {
    this(refProtected, environmentProtected, deployers, gitlab(0), gitlab("production"));
  }

  public static FixedFacts protectedEverything() {
    return new FixedFacts(gitlab(true), gitlab(true), gitlab(40));
  }

  static FixedFacts gitlabDown() {
    Fact<Integer> down = Fact.unavailable("gitlab timeout");
    return new FixedFacts(
        Fact.unavailable("gitlab timeout"),
        Fact.unavailable("gitlab timeout"),
        down,
        down,
        Fact.unavailable("gitlab timeout"));
  }

  static <T> Fact<T> gitlab(T value) {
    return Fact.of(value, Fact.Source.GITLAB);
  }

  @Override
  public Fact<Boolean> refProtected(CiJob job) {
    calls++;
    return refProtected;
  }

  @Override
  public Fact<Boolean> environmentProtected(CiJob job) {
    calls++;
    return environmentProtected;
  }

  @Override
  public Fact<Integer> deployersAccessLevel(CiJob job) {
    calls++;
    return deployers;
  }

  @Override
  public Fact<Integer> requiredApprovals(CiJob job) {
    calls++;
    return approvals;
  }

  @Override
  public Fact<String> environmentTier(CiJob job) {
    calls++;
    return tier;
  }

  @Override
  public void invalidate(String instance, long projectId) {}
}
