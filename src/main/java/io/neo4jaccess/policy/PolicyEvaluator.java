package io.neo4jaccess.policy;

import io.neo4jaccess.gitlab.ProtectionFacts;
import io.neo4jaccess.policy.Decision.ConditionTrace;
import io.neo4jaccess.policy.Decision.Result;
import io.neo4jaccess.policy.Decision.RuleTrace;
import io.neo4jaccess.token.GitLabClaims;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Evaluates rules in order; the first whose every condition holds wins. Within a rule the token's
 * conditions are checked first, and GitLab's only when all of those held, so a rule that cannot
 * match costs no API call.
 */
public final class PolicyEvaluator {

  private PolicyEvaluator() {}

  public static Decision evaluate(Policy policy, GitLabClaims claims, ProtectionFacts facts) {
    return evaluate(policy, claims, new RecordingFacts(facts));
  }

  /** Evaluates with {@code facts}, which keeps what was read: the decision's evidence. */
  static Decision evaluate(Policy policy, GitLabClaims claims, RecordingFacts facts) {
    JobObserver observer = new JobObserver(claims, facts);
    Hints hints = new Hints(claims);
    List<RuleTrace> trace = new ArrayList<>();
    boolean gitlabUnavailable = false;
    for (Rule rule : policy.rules()) {
      RuleTrace t = evaluate(rule, observer, hints);
      trace.add(t);
      if (t.matched()) {
        return new Decision(
            rule.name(),
            rule.grant(),
            List.copyOf(trace),
            false,
            policy.version(),
            new Evidence(claims, facts.read()));
      }
      gitlabUnavailable |= failedOnlyForWantOfGitLab(t);
    }
    return new Decision(
        null,
        null,
        List.copyOf(trace),
        gitlabUnavailable,
        policy.version(),
        new Evidence(claims, facts.read()));
  }

  private static RuleTrace evaluate(Rule rule, JobObserver observer, Hints hints) {
    List<Condition> ordered =
        rule.conditions().stream().sorted(Comparator.comparing(Condition::fromGitLab)).toList();
    List<ConditionTrace> results = new ArrayList<>();
    boolean tokenConditionFailed = false;
    for (Condition c : ordered) {
      if (c.fromGitLab() && tokenConditionFailed) {
        results.add(
            new ConditionTrace(c.name(), c.expectedForTrace(), null, null, Result.SKIPPED, null));
        continue;
      }
      ConditionTrace r = check(c, observer.observe(c.name()), hints);
      results.add(r);
      tokenConditionFailed |= !c.fromGitLab() && r.result() != Result.HELD;
    }
    boolean matched = results.stream().allMatch(r -> r.result() == Result.HELD);
    return new RuleTrace(rule.name(), matched, List.copyOf(results));
  }

  private static boolean failedOnlyForWantOfGitLab(RuleTrace t) {
    return t.conditions().stream().anyMatch(c -> c.result() == Result.UNAVAILABLE)
        && t.conditions().stream().noneMatch(c -> c.result() == Result.FAILED);
  }

  private static ConditionTrace check(Condition c, Observation o, Hints hints) {
    Result result = o.verdict() != null ? o.verdict() : compare(c, o.value());
    return new ConditionTrace(
        c.name(),
        c.expectedForTrace(),
        o.shown(),
        o.source(),
        result,
        result == Result.HELD ? null : hints.of(c, o, result));
  }

  @SuppressWarnings("unchecked")
  private static Result compare(Condition c, Object actual) {
    if (actual == null) {
      return Result.FAILED;
    }
    boolean held =
        switch (c.type()) {
          case GLOBS ->
              values(actual).stream()
                  .allMatch(
                      v -> ((List<Glob>) c.expected()).stream().anyMatch(g -> g.matches(str(v))));
          case CONFIG_URIS ->
              ((List<ConfigUriGlob>) c.expected()).stream().anyMatch(g -> g.matches(str(actual)));
          case STRINGS -> ((List<String>) c.expected()).contains(str(actual));
          case IDS ->
              values(actual).stream().allMatch(v -> ((List<Long>) c.expected()).contains(id(v)));
          case BOOLEAN -> c.expected().equals(actual);
          case ACCESS_AT_LEAST ->
              actual instanceof Integer level && level >= ((AccessLevel) c.expected()).value();
          case AT_LEAST -> actual instanceof Integer n && n >= (Integer) c.expected();
        };
    return held ? Result.HELD : Result.FAILED;
  }

  private static List<?> values(Object actual) {
    return actual instanceof List<?> l ? l : List.of(actual);
  }

  private static String str(Object v) {
    return v instanceof String s ? s : null;
  }

  private static Long id(Object v) {
    if (v instanceof Number n) {
      return n.longValue();
    }
    if (v instanceof String s && s.matches("[0-9]{1,18}")) {
      return Long.parseLong(s);
    }
    return null;
  }
}
