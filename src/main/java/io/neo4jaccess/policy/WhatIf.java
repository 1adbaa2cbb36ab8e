package io.neo4jaccess.policy;

import io.neo4jaccess.gitlab.CiJob;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a candidate policy would have decided differently, on recorded decisions. Both the policy in
 * force and the candidate are evaluated on each decision's recorded evidence, so the difference is
 * the candidate's alone, even for decisions an older policy made. A decision whose outcome under
 * either policy hinges on a fact it did not record, or that was recorded without evidence, is
 * undetermined: counted and shown, never guessed.
 */
public final class WhatIf {

  /** Jobs shown per group. */
  static final int SAMPLE = 5;

  /** Groups in an answer, the largest first. */
  static final int MAX_GROUPS = 100;

  /** How a decision would change. */
  public enum Change {
    ALLOWED_TO_DENIED,
    DENIED_TO_ALLOWED,
    GRANT_CHANGED,
    UNDETERMINED;

    public String wire() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * One recorded decision.
   *
   * @param job the job it was about
   * @param policySha256 the policy that made it, or null for decisions recorded before versions
   * @param evidenceJson what it was made on ({@link EvidenceJson}), or null when not recorded
   */
  public record Past(Instant at, CiJob job, String policySha256, String evidenceJson) {}

  /** A job that would change, as an example of its group; {@code why} says why it is denied. */
  public record Sample(
      long jobId, long pipelineId, String ref, String environment, Instant at, String why) {}

  /**
   * How decisions would change, alike.
   *
   * @param ruleBefore the rule that allows the job now, or null when it is denied
   * @param ruleAfter the rule that would allow it, or null when it would be denied
   * @param grantBefore the grant now, as text, or null
   * @param grantAfter the grant it would get, as text, or null
   * @param missing for undetermined decisions, the facts that were not recorded
   */
  public record Difference(
      Change change,
      String ruleBefore,
      String ruleAfter,
      String grantBefore,
      String grantAfter,
      String missing) {}

  /** Decisions of one project that would change alike, how many, and some of their jobs. */
  public record Group(
      String instance, String project, Difference difference, int count, List<Sample> sample) {}

  /**
   * The answer.
   *
   * @param changes how many decisions would change, by kind (undetermined ones included)
   * @param otherVersions decisions made by a policy other than the one in force
   * @param groups the changes by project, rules and kind, the largest first
   */
  public record Report(
      PolicyVersion baseline,
      PolicyVersion candidate,
      int evaluated,
      int unchanged,
      Map<Change, Integer> changes,
      int otherVersions,
      List<Group> groups,
      boolean groupsTruncated) {

    public int count(Change change) {
      return changes.getOrDefault(change, 0);
    }
  }

  /** How one decision would change; {@code why} is its sample's reason. */
  private record Verdict(Difference difference, String why) {}

  private record Key(String instance, String project, Difference difference) {}

  private WhatIf() {}

  /**
   * @param past recorded decisions, newest first
   */
  public static Report evaluate(Policy baseline, Policy candidate, List<Past> past) {
    Map<Key, List<Sample>> samples = new LinkedHashMap<>();
    Map<Key, Integer> counts = new LinkedHashMap<>();
    Map<Change, Integer> changes = new EnumMap<>(Change.class);
    int unchanged = 0;
    int otherVersions = 0;
    for (Past p : past) {
      if (!baseline.version().sha256().equals(p.policySha256())) {
        otherVersions++;
      }
      Verdict v = compare(baseline, candidate, p);
      if (v == null) {
        unchanged++;
        continue;
      }
      changes.merge(v.difference().change(), 1, Integer::sum);
      Key key = new Key(p.job().instance(), p.job().project().path(), v.difference());
      counts.merge(key, 1, Integer::sum);
      List<Sample> sample = samples.computeIfAbsent(key, k -> new ArrayList<>());
      if (sample.size() < SAMPLE) {
        CiJob job = p.job();
        sample.add(
            new Sample(
                job.id(),
                job.pipeline().id(),
                job.ref().name(),
                job.environmentName(),
                p.at(),
                v.why()));
      }
    }
    List<Group> groups = new ArrayList<>();
    counts.forEach(
        (key, count) ->
            groups.add(
                new Group(
                    key.instance(),
                    key.project(),
                    key.difference(),
                    count,
                    List.copyOf(samples.get(key)))));
    groups.sort(
        Comparator.comparingInt(Group::count)
            .reversed()
            .thenComparing(Group::project)
            .thenComparing(g -> g.difference().change().ordinal()));
    return new Report(
        baseline.version(),
        candidate.version(),
        past.size(),
        unchanged,
        changes,
        otherVersions,
        List.copyOf(groups.subList(0, Math.min(MAX_GROUPS, groups.size()))),
        groups.size() > MAX_GROUPS);
  }

  /** How one decision would change, or null when it would not. */
  private static Verdict compare(Policy baseline, Policy candidate, Past p) {
    if (p.evidenceJson() == null) {
      return undetermined("evidence");
    }
    Evidence evidence;
    try {
      evidence = EvidenceJson.read(p.evidenceJson());
    } catch (IllegalArgumentException unreadable) {
      return undetermined("evidence");
    }
    Replay.Outcome before = Replay.evaluate(baseline, evidence);
    Replay.Outcome after = Replay.evaluate(candidate, evidence);
    if (before.undetermined() || after.undetermined()) {
      Set<String> missing = new TreeSet<>(before.undetermined() ? before.missing() : Set.of());
      if (after.undetermined()) {
        missing.addAll(after.missing());
      }
      return undetermined(String.join(", ", missing));
    }
    Decision b = before.decision();
    Decision a = after.decision();
    Change change;
    if (b.allowed() && !a.allowed()) {
      change = Change.ALLOWED_TO_DENIED;
    } else if (!b.allowed() && a.allowed()) {
      change = Change.DENIED_TO_ALLOWED;
    } else if (b.allowed() && !sameGrant(b.grant(), a.grant())) {
      change = Change.GRANT_CHANGED;
    } else {
      return null;
    }
    return new Verdict(
        new Difference(change, b.rule(), a.rule(), grant(b.grant()), grant(a.grant()), null),
        a.allowed() ? null : denial(a));
  }

  private static Verdict undetermined(String missing) {
    return new Verdict(
        new Difference(Change.UNDETERMINED, null, null, null, null, missing),
        "not recorded: " + missing);
  }

  /** Why a job would be denied: the closest rule and its failed condition. */
  private static String denial(Decision d) {
    return d.failed()
        .map(c -> "closest rule '" + d.closest().rule() + "' fails on " + c.condition())
        .orElse("no rule matches");
  }

  private static boolean sameGrant(Grant a, Grant b) {
    return a.target().equals(b.target())
        && a.database().equals(b.database())
        && a.access() == b.access()
        && new TreeSet<>(a.roles()).equals(new TreeSet<>(b.roles()))
        && a.schema() == b.schema()
        && a.remoteCsv() == b.remoteCsv()
        && a.ttl().equals(b.ttl());
  }

  /**
   * A grant in one line: {@code staging/neo4j reader,editor 15m}, {@code ... full 15m} or {@code
   * ... write+schema 15m}.
   */
  static String grant(Grant g) {
    if (g == null) {
      return null;
    }
    return g.target()
        + "/"
        + g.database()
        + " "
        + (g.access() == Access.ROLES
            ? String.join(",", new TreeSet<>(g.roles()))
            : g.access().wire()
                + (g.schema() ? "+schema" : "")
                + (g.remoteCsv() ? "+remote_csv" : ""))
        + " "
        + Ttl.format(g.ttl());
  }
}
