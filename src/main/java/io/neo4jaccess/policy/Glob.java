package io.neo4jaccess.policy;

import java.util.List;

/**
 * Path globs for project paths and refs: {@code *} matches within one path segment, {@code **}
 * matches any number of whole segments. Values are compared segment by segment and exactly (case
 * included); a value with an empty, {@code .} or {@code ..} segment, a control character,
 * whitespace or glob syntax ({@code * ? [ ] \}) never matches, so {@code platform/../other} cannot
 * pass for {@code platform/**} nor the literal {@code platform/*} for a project of {@code
 * platform}. GitLab paths are {@code [A-Za-z0-9_.-]} and git ref names forbid all of these, so no
 * real claim holds them.
 */
final class Glob {

  private final String pattern;
  private final List<String> segments;

  private Glob(String pattern) {
    this.pattern = pattern;
    this.segments = List.of(pattern.split("/", -1));
  }

  /** Parses a pattern, refusing ones that are ambiguous or could not match anything. */
  static Glob of(String pattern) {
    if (pattern.isEmpty() || hasControl(pattern)) {
      throw new IllegalArgumentException("a glob must be non-empty text");
    }
    for (String s : pattern.split("/", -1)) {
      if (s.isEmpty()) {
        throw new IllegalArgumentException("glob '" + pattern + "' has an empty segment");
      }
      if (s.contains("**") && !s.equals("**")) {
        throw new IllegalArgumentException("'**' must be a whole segment in '" + pattern + "'");
      }
    }
    return new Glob(pattern);
  }

  /** True when the first segment is literal: the pattern cannot match every namespace. */
  boolean anchored() {
    return !segments.get(0).contains("*");
  }

  boolean matches(String value) {
    if (value == null || value.isEmpty() || hasControl(value) || hasGlobSyntaxOrSpace(value)) {
      return false;
    }
    String[] parts = value.split("/", -1);
    for (String p : parts) {
      if (p.isEmpty() || p.equals(".") || p.equals("..")) {
        return false;
      }
    }
    return match(0, parts, 0);
  }

  private boolean match(int si, String[] parts, int pi) {
    if (si == segments.size()) {
      return pi == parts.length;
    }
    String seg = segments.get(si);
    if (seg.equals("**")) {
      for (int k = pi; k <= parts.length; k++) {
        if (match(si + 1, parts, k)) {
          return true;
        }
      }
      return false;
    }
    return pi < parts.length && segmentMatches(seg, parts[pi]) && match(si + 1, parts, pi + 1);
  }

  /** {@code *} within a segment: any run of characters, tried greedily with backtracking. */
  private static boolean segmentMatches(String seg, String part) {
    int s = 0;
    int p = 0;
    int star = -1;
    int mark = 0;
    while (p < part.length()) {
      if (s < seg.length() && seg.charAt(s) == '*') {
        star = s++;
        mark = p;
      } else if (s < seg.length() && seg.charAt(s) == part.charAt(p)) {
        s++;
        p++;
      } else if (star >= 0) {
        s = star + 1;
        p = ++mark;
      } else {
        return false;
      }
    }
    while (s < seg.length() && seg.charAt(s) == '*') {
      s++;
    }
    return s == seg.length();
  }

  /** True for characters no GitLab path or git ref name holds: glob syntax and any whitespace. */
  static boolean hasGlobSyntaxOrSpace(String s) {
    return s.chars()
        .anyMatch(
            c ->
                c == '*'
                    || c == '?'
                    || c == '['
                    || c == ']'
                    || c == '\\'
                    || Character.isWhitespace(c)
                    || Character.isSpaceChar(c));
  }

  private static boolean hasControl(String s) {
    return s.chars().anyMatch(c -> Character.isISOControl(c) || c == '\u2028' || c == '\u2029');
  }

  @Override
  public String toString() {
    return pattern;
  }
}
