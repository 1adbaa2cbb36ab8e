package io.neo4jaccess.policy;

import java.util.List;
import java.util.Optional;

/**
 * The outcome of evaluating the policy for one job.
 *
 * @param rule the matching rule, or null when denied
 * @param grant what the matching rule grants, or null when denied
 * @param trace every rule looked at, in order, with each condition's outcome
 * @param gitlabUnavailable true when no rule matched and some rule failed only for want of a fact
 *     that GitLab could not give: the answer is then 503, not 403
 * @param version the policy that decided
 * @param evidence what it was decided on: the claims and each GitLab fact read
 */
public record Decision(
    String rule,
    Grant grant,
    List<RuleTrace> trace,
    boolean gitlabUnavailable,
    PolicyVersion version,
    Evidence evidence) {

  public boolean allowed() {
    return grant != null;
  }

  /** The same decision, with the evidence completed after it was made. */
  Decision withEvidence(Evidence completed) {
    return new Decision(rule, grant, trace, gitlabUnavailable, version, completed);
  }

  /**
   * True when the policy speaks about the job's project: some rule's project and instance
   * conditions all held, whatever else failed.
   */
  boolean namesTheProject() {
    return trace.stream()
        .anyMatch(
            r ->
                r.conditions().stream()
                    .filter(
                        c ->
                            Condition.ANCHORS.contains(c.condition())
                                || c.condition().equals("instance"))
                    .allMatch(c -> c.result() == Result.HELD));
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
   * @param hint what to change so that the condition holds, for one that failed; else null
   */
  public record ConditionTrace(
      String condition, Object expected, Object actual, String source, Result result, String hint) {

    boolean failed() {
      return result == Result.FAILED || result == Result.UNAVAILABLE;
    }
  }

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

  /** The closest rule's first condition that failed (or could not be read), if any. */
  public Optional<ConditionTrace> failed() {
    RuleTrace closest = closest();
    return closest == null
        ? Optional.empty()
        : closest.conditions().stream().filter(ConditionTrace::failed).findFirst();
  }
}
