package io.neo4jaccess.policy;

import io.neo4jaccess.policy.Decision.ConditionTrace;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What a caller is told of a decision ({@code broker.policy.traces}). With traces on: the closest
 * rule, the failed condition with the rule's and the job's values, what to change, and the whole
 * trace. With traces off only the outcome and the failed condition's name, never a value or another
 * rule: jobs print these answers into their logs, which anyone can read on a public project.
 */
public final class Disclosure {

  private final boolean traces;

  public Disclosure(boolean traces) {
    this.traces = traces;
  }

  /** One paragraph on why the job was refused and what to change, for the job's log. */
  public String summary(Decision decision) {
    Optional<ConditionTrace> failed = decision.failed();
    if (failed.isEmpty()) {
      return "No rule in the policy allows this job.";
    }
    ConditionTrace c = failed.get();
    if (!traces) {
      return c.result() == Decision.Result.UNAVAILABLE
          ? "Denied by policy: condition '"
              + c.condition()
              + "' could not be checked, as GitLab could not be asked; retry the job."
          : "Denied by policy: condition '"
              + c.condition()
              + "' did not hold. "
              + Hints.generic(c.condition());
    }
    return "No rule allows this job; closest rule '"
        + decision.closest().rule()
        + "' failed on '"
        + c.condition()
        + "': expected "
        + c.expected()
        + ", got "
        + c.actual()
        + " (from "
        + c.source()
        + "). To change: "
        + c.hint();
  }

  /** The members a denial answer carries besides its summary. */
  public Map<String, Object> denial(Decision decision) {
    Map<String, Object> m = new LinkedHashMap<>();
    if (traces) {
      m.put("closest_rule", decision.closest() == null ? null : decision.closest().rule());
    }
    m.put("failed_condition", decision.failed().map(ConditionTrace::condition).orElse(null));
    if (traces) {
      m.put("trace", decision.trace());
    }
    return m;
  }

  /** The answer to an explain request, without the grant (which the caller narrows). */
  public Map<String, Object> explain(Decision decision) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("allowed", decision.allowed());
    if (decision.allowed()) {
      if (traces) {
        m.put("rule", decision.rule());
        m.put("trace", decision.trace());
      }
      return m;
    }
    m.put("summary", summary(decision));
    m.put("gitlab_unavailable", decision.gitlabUnavailable());
    m.putAll(denial(decision));
    return m;
  }
}
