package io.neo4jaccess.policy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Globs must not be fooled by values built to look like a match. */
class GlobTest {

  @ParameterizedTest(name = "{0} ~ {1} -> {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        "platform/*|platform/api|true",
        "platform/*|platform/evil/x|false",
        "platform/**|platform/evil/x|true",
        "platform/**|platform|true",
        "platform/**|platform/../other|false",
        "platform/*|platform/./api|false",
        "platform/*|platform//api|false",
        "platform/*|Platform/api|false",
        "platform/*|plаtform/api|false",
        "platform/api-*|platform/api-v2|true",
        "platform/api-*|platform/api|false",
        "release/*|release/1.2|true",
        "release/*|release/1.2/hotfix|false",
        "main|main|true",
        "main|mainline|false",
        "*-prod|eu-prod|true",
      })
  void matches_segment_by_segment(String pattern, String value, boolean expected) {
    assertThat(Glob.of(pattern).matches(value)).isEqualTo(expected);
  }

  @org.junit.jupiter.api.Test
  void control_characters_never_match() {
    // Not in the table above: CSV sources trim control characters away.
    assertThat(Glob.of("platform/*").matches("platform/api\u0000")).isFalse();
    assertThat(Glob.of("platform/*").matches("platform/api\n")).isFalse();
    assertThat(Glob.of("platform/**").matches("platform/a\rb")).isFalse();
  }

  @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
  @org.junit.jupiter.params.provider.ValueSource(
      strings = {
        "demo/*",
        "demo/**",
        "demo/ap?",
        "demo/[a]pp",
        "demo/a\\pp",
        "demo/app ",
        "demo/a pp",
        "demo/app\u00a0",
        "demo/app\u2003"
      })
  void values_holding_glob_syntax_or_whitespace_never_match(String value) {
    // GitLab paths are [A-Za-z0-9_.-] and git ref names forbid '*', '?', '[', '\\' and spaces,
    // so a signed claim holding them is no real project or ref: it must not pass for one.
    assertThat(Glob.of("demo/*").matches(value)).isFalse();
    assertThat(Glob.of("demo/**").matches(value)).isFalse();
  }
}
