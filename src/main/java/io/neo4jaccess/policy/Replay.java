package io.neo4jaccess.policy;

import io.neo4jaccess.policy.Decision.ConditionTrace;
import io.neo4jaccess.policy.Decision.Result;
import io.neo4jaccess.policy.Decision.RuleTrace;
import java.util.Set;

/**
 * A policy evaluated on recorded {@link Evidence} instead of today's GitLab. When the policy asks
 * for a fact the decision did not record, the outcome may not be known: it is undetermined when an
 * earlier rule than the deciding one (or, for a denial, any rule) failed on nothing but such facts,
 * since with them it might have matched. It is never guessed.
 */
public final class Replay {

  private Replay() {}

  /**
   * @param decision the policy's decision on the evidence
   * @param missing the facts the policy asked for that were not recorded
   * @param undetermined true when the decision hinges on one of them
   */
  public record Outcome(Decision decision, Set<String> missing, boolean undetermined) {}

  public static Outcome evaluate(Policy policy, Evidence evidence) {
    RecordedFacts facts = new RecordedFacts(evidence.facts());
    Decision decision = PolicyEvaluator.evaluate(policy, evidence.claims(), facts);
    Set<String> missing = facts.missing();
    boolean undetermined =
        !missing.isEmpty()
            && decision.trace().stream()
                .filter(rule -> !rule.matched())
                .anyMatch(rule -> hingesOn(rule, missing));
    return new Outcome(decision, missing, undetermined);
  }

  /** The rule failed only on facts that were not recorded: with them it might have matched. */
  private static boolean hingesOn(RuleTrace rule, Set<String> missing) {
    boolean anyMissing = false;
    for (ConditionTrace c : rule.conditions()) {
      boolean isMissing = c.result() == Result.UNAVAILABLE && missing.contains(c.condition());
      if (!isMissing && c.result() != Result.HELD) {
        return false;
      }
      anyMissing |= isMissing;
    }
    return anyMissing;
  }
}
