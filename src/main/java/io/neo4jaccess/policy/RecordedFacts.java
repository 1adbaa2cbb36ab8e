package io.neo4jaccess.policy;

import io.neo4jaccess.gitlab.CiJob;
import io.neo4jaccess.gitlab.Fact;
import io.neo4jaccess.gitlab.ProtectionFacts;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * GitLab as a decision recorded it: each fact as it was read then (a fact GitLab could not give
 * then is unavailable again, so a rule that needed it fails closed as it did). A fact that was
 * never read is unavailable too, and remembered as missing: an outcome that hinges on it is not
 * known ({@link Replay}).
 */
final class RecordedFacts implements ProtectionFacts {

  static final String NOT_RECORDED = "not recorded with the decision";

  private final Map<String, Fact<?>> recorded;
  private final Set<String> missing = new HashSet<>();

  RecordedFacts(Map<String, Fact<?>> recorded) {
    this.recorded = recorded;
  }

  /** The conditions whose fact was asked for but not recorded. */
  Set<String> missing() {
    return Set.copyOf(missing);
  }

  @Override
  public Fact<Boolean> refProtected(CiJob job) {
    return fact("ref_protected");
  }

  @Override
  public Fact<Boolean> environmentProtected(CiJob job) {
    return fact("environment_protected");
  }

  @Override
  public Fact<Integer> deployersAccessLevel(CiJob job) {
    return fact("deployers");
  }

  @Override
  public Fact<Integer> requiredApprovals(CiJob job) {
    return fact("required_approvals");
  }

  @Override
  public Fact<String> environmentTier(CiJob job) {
    return fact("environment_tier");
  }

  @Override
  public void invalidate(String instance, long projectId) {
    // nothing is cached: the record is what it is
  }

  @SuppressWarnings("unchecked")
  private <T> Fact<T> fact(String condition) {
    Fact<?> f = recorded.get(condition);
    if (f == null) {
      missing.add(condition);
      return Fact.unavailable(NOT_RECORDED);
    }
    return (Fact<T>) f;
  }
}
