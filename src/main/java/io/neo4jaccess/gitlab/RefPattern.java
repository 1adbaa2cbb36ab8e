package io.neo4jaccess.gitlab;

import java.util.regex.Pattern;

/**
 * Matches a protected branch or tag name (which may hold wildcards) against a ref, the way GitLab
 * does.
 *
 * <p>GitLab's {@code Gitlab::RefMatcher}
 * (https://gitlab.com/gitlab-org/gitlab/-/blob/master/lib/gitlab/ref_matcher.rb) treats a rule as
 * an exact name or, when it contains {@code *}, as a pattern where each {@code *} becomes the lazy
 * regex {@code .*?} anchored at both ends ({@code \A...\z}); every other character is literal and
 * matching is case-sensitive. So {@code *} also matches {@code /}: {@code release/*} covers {@code
 * release/1.0/hotfix}, and {@code *-stable} covers {@code team/x-stable}. User docs ("wildcard
 * rules"): https://docs.gitlab.com/user/project/repository/branches/protected/ and
 * https://docs.gitlab.com/user/project/protected_tags/. Protected tags use the same matcher.
 */
final class RefPattern {

  private RefPattern() {}

  /**
   * False for a ref that {@code git check-ref-format} refuses (control characters, space, {@code ~
   * ^ : ? * [ \\}, {@code ..}): GitLab never signs one, so it is never protected — otherwise the
   * literal ref {@code release/*} would pass for the rule {@code release/*}.
   */
  static boolean gitWouldAccept(String ref) {
    if (ref.isEmpty() || ref.contains("..")) {
      return false;
    }
    return ref.chars()
        .noneMatch(
            c ->
                c < 0x20
                    || c == 0x7f
                    || Character.isWhitespace(c)
                    || Character.isSpaceChar(c)
                    || "~^:?*[\\".indexOf(c) >= 0);
  }

  static boolean matches(String ruleName, String ref) {
    if (ruleName == null || ruleName.isEmpty() || ref == null || !gitWouldAccept(ref)) {
      return false;
    }
    if (ruleName.equals(ref)) {
      return true;
    }
    if (!ruleName.contains("*")) {
      return false;
    }
    StringBuilder regex = new StringBuilder();
    String[] literals = ruleName.split("\\*", -1); // -1 keeps a trailing "*"
    for (int i = 0; i < literals.length; i++) {
      if (i > 0) {
        regex.append(".*?");
      }
      regex.append(Pattern.quote(literals[i]));
    }
    // DOTALL is irrelevant for refs (git forbids control characters) but keeps "." total.
    return Pattern.compile(regex.toString(), Pattern.DOTALL).matcher(ref).matches();
  }
}
