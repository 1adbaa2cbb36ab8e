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
    "release-[0-9], release-[0-9], true",
  })
  void matchesLikeGitLab(String rule, String ref, boolean expected) {
    // Given a protection rule name and a ref, When matched, Then the result is GitLab's
    assertThat(RefPattern.matches(rule, ref)).isEqualTo(expected);
  }
}
