package io.neo4jaccess.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code webhook-timestamp} as the broker reads it: whole seconds in ASCII digits, nothing else.
 * Values no HTTP client can carry in a header (other scripts' digits) are checked here directly.
 */
class StandardSignatureTest {

  @Test
  void a_timestamp_is_whole_seconds_in_ascii_digits() {
    assertThat(StandardSignature.epochSeconds("1764489600")).isEqualTo(OptionalLong.of(1764489600));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "99999999999999999",
        "9223372036854775807",
        "9223372036854775808",
        "-1764489600",
        "+1764489600",
        "1764489600.5",
        "1.7e9",
        "1764 489600",
        " 1764489600",
        "0x69263a00",
        "\u0661\u0667\u0666\u0664\u0664\u0668\u0669\u0666\u0660\u0660",
        "\uff11\uff17\uff16\uff14\uff14\uff18\uff19\uff16\uff10\uff10",
        "\u00b9\u00b2\u00b3"
      })
  void anything_else_is_no_timestamp(String timestamp) {
    assertThat(StandardSignature.epochSeconds(timestamp)).isEmpty();
  }
}
