package io.neo4jaccess.gitlab;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** GitLab's wildcard semantics (lib/gitlab/ref_matcher.rb): exact name, or each * as ".*?". */
class RefPatternTest {

  @ParameterizedTest(name = "rule {0} covers {1}: {2}")
  @CsvSource({
    "main, main, true",
    "main, main2, false",
    "release/*, release/1.0, true",
    "release/*, release/1.0/hotfix, true", // * crosses "/"
    "release/*, release, false",
    "release/*, release/, true", // * may match nothing
    "release/*, prerelease/1.0, false", // anchored at the start
    "release/*, Release/1.0, false", // case-sensitive
    "*-stable, production-stable, true",
    "*-stable, team/x-stable, true",
    "*-stable, stable, false",
    "v*.*, v1.2, true",
    "v*.*, v12, false", // "." is literal, not a regex dot
    "release-[0-9], release-1, false", // only * is special
    "release-[0-9], release-[0-9], false", // git refuses "[" in a ref: GitLab never signs one
  })
  void matches_like_gitlab(String rule, String ref, boolean expected) {
    // Given a protection rule name and a ref, When matched, Then the result is GitLab's
    assertThat(RefPattern.matches(rule, ref)).isEqualTo(expected);
  }

  @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
  @org.junit.jupiter.params.provider.ValueSource(
      strings = {
        "release/*",
        "release/?",
        "release/[1]",
        "release/1 ",
        "release/a\\b",
        "main\u0000"
      })
  void refs_git_would_refuse_are_never_protected(String ref) {
    // git check-ref-format forbids these characters, so GitLab never signs such a ref: a rule
    // named "release/*" must not cover the literal ref "release/*".
    assertThat(RefPattern.matches("release/*", ref)).isFalse();
    assertThat(RefPattern.matches(ref, ref)).isFalse();
  }
}
