package io.neo4jaccess.policy;

import io.neo4jaccess.policy.WhatIf.Change;
import io.neo4jaccess.policy.WhatIf.Group;
import io.neo4jaccess.policy.WhatIf.Report;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A what-if report as a plain-text table for a job log: a headline with the counts, then one line
 * per group. ASCII only, so that every terminal and log viewer shows it as it is.
 */
public final class WhatIfTable {

  private static final List<String> HEADER =
      List.of("CHANGE", "PROJECT", "RULE NOW -> CANDIDATE", "DETAIL", "JOBS", "SAMPLE JOBS");

  private WhatIfTable() {}

  /**
   * @param window what the decisions cover, e.g. {@code the last 7 days}
   * @param truncated true when the window held more decisions than were evaluated
   */
  public static String render(Report r, String window, boolean truncated) {
    StringBuilder out = new StringBuilder();
    out.append("candidate ")
        .append(r.candidate())
        .append(" against the policy in force ")
        .append(r.baseline())
        .append('\n')
        .append(r.evaluated())
        .append(truncated ? " decisions (the newest; the window holds more) of " : " decisions of ")
        .append(window)
        .append(": ")
        .append(headline(r))
        .append('\n');
    if (r.groups().isEmpty()) {
      return out.append("No recorded decision would change.\n").toString();
    }
    List<List<String>> rows = new ArrayList<>();
    rows.add(HEADER);
    for (Group g : r.groups()) {
      WhatIf.Difference d = g.difference();
      rows.add(
          List.of(
              d.change().wire().replace("_to_", " -> ").replace('_', ' '),
              g.instance() + ":" + g.project(),
              d.change() == Change.UNDETERMINED
                  ? ""
                  : orNone(d.ruleBefore()) + " -> " + orNone(d.ruleAfter()),
              detail(g),
              Integer.toString(g.count()),
              g.sample().stream()
                      .map(s -> Long.toString(s.jobId()))
                      .collect(Collectors.joining(", "))
                  + (g.count() > g.sample().size() ? ", ..." : "")));
    }
    out.append('\n');
    appendAligned(out, rows);
    if (r.groupsTruncated()) {
      out.append("... and smaller groups not shown.\n");
    }
    return out.toString();
  }

  /** The counts in one line, e.g. {@code 12 allowed -> denied, 3 denied -> allowed, ...}. */
  public static String headline(Report r) {
    return r.count(Change.ALLOWED_TO_DENIED)
        + " allowed -> denied, "
        + r.count(Change.DENIED_TO_ALLOWED)
        + " denied -> allowed, "
        + r.count(Change.GRANT_CHANGED)
        + " grants changed, "
        + r.count(Change.UNDETERMINED)
        + " undetermined, "
        + r.unchanged()
        + " unchanged";
  }

  private static String detail(Group g) {
    WhatIf.Difference d = g.difference();
    return switch (d.change()) {
      case GRANT_CHANGED -> d.grantBefore() + " -> " + d.grantAfter();
      case DENIED_TO_ALLOWED -> d.grantAfter();
      case ALLOWED_TO_DENIED -> g.sample().isEmpty() ? "" : orNone(g.sample().get(0).why());
      case UNDETERMINED -> "not recorded: " + d.missing();
    };
  }

  private static String orNone(String s) {
    return s == null ? "(none)" : s;
  }

  private static void appendAligned(StringBuilder out, List<List<String>> rows) {
    int[] width = new int[HEADER.size()];
    for (List<String> row : rows) {
      for (int i = 0; i < row.size(); i++) {
        width[i] = Math.max(width[i], row.get(i).length());
      }
    }
    for (List<String> row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.size(); i++) {
        String cell = row.get(i);
        boolean number = i == 4;
        String pad = " ".repeat(width[i] - cell.length());
        line.append(number ? pad + cell : cell + (i < row.size() - 1 ? pad : "")).append("  ");
      }
      out.append(line.toString().stripTrailing()).append('\n');
    }
  }
}
