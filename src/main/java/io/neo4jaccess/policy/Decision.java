package io.neo4jaccess.policy;

import java.util.List;

/**
 * The outcome of evaluating the policy for one job.
 *
 * @param rule the matching rule, or null when denied
 * @param grant what the matching rule grants, or null when denied
 * @param trace every rule looked at, in order, with each condition's outcome
 * @param gitlabUnavailable true when no rule matched and some rule failed only for want of a fact
 *     that GitLab could not give: the answer is then 503, not 403
 */
public record Decision(String rule, Grant grant, List<RuleTrace> trace, boolean gitlabUnavailable) {

  public boolean allowed() {
    return grant != null;
  }

  /** How one condition fared. */
  public enum Result {
    HELD,
    FAILED,
    /** The value could not be read (GitLab unreachable, no fresh cached fact): fails closed. */
    UNAVAILABLE,
    /** Not evaluated: an earlier condition of the rule had already failed. */
    SKIPPED
  }

  /**
   * @param source {@code token}, {@code gitlab}, {@code cache}, or a combination like {@code
   *     token+gitlab}
   */
  public record ConditionTrace(
      String condition, Object expected, Object actual, String source, Result result) {}

  public record RuleTrace(String rule, boolean matched, List<ConditionTrace> conditions) {

    long held() {
      return conditions.stream().filter(c -> c.result() == Result.HELD).count();
    }
  }

  /**
   * The rule that came closest to matching: most conditions held, the earlier on a tie. Null when
   * the policy has no rules.
   */
  public RuleTrace closest() {
    RuleTrace best = null;
    for (RuleTrace t : trace) {
      if (best == null || t.held() > best.held()) {
        best = t;
      }
    }
    return best;
  }

  /** One sentence on why access was refused, naming the closest rule and its failed condition. */
  public String denialSummary() {
    RuleTrace closest = closest();
    if (closest == null) {
      return "No rule in the policy allows this job.";
    }
    ConditionTrace failed =
        closest.conditions().stream()
            .filter(c -> c.result() == Result.FAILED || c.result() == Result.UNAVAILABLE)
            .findFirst()
            .orElse(null);
    if (failed == null) {
      return "No rule allows this job; closest rule '" + closest.rule() + "'.";
    }
    return "No rule allows this job; closest rule '"
        + closest.rule()
        + "' failed on '"
        + failed.condition()
        + "': expected "
        + failed.expected()
        + ", got "
        + failed.actual()
        + " (from "
        + failed.source()
        + ").";
  }
}
