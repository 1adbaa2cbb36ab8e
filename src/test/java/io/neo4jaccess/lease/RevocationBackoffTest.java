package io.neo4jaccess.lease;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RevocationBackoffTest {

  private static final Duration BASE = Duration.ofSeconds(5);
  private static final Duration MAX = Duration.ofMinutes(5);

  @Test
  void doubles_from_the_base_after_each_failure() {
    assertThat(Revoker.backoff(1, BASE, MAX)).isEqualTo(Duration.ofSeconds(5));
    assertThat(Revoker.backoff(2, BASE, MAX)).isEqualTo(Duration.ofSeconds(10));
    assertThat(Revoker.backoff(4, BASE, MAX)).isEqualTo(Duration.ofSeconds(40));
  }

  @Test
  void is_capped_and_never_overflows() {
    assertThat(Revoker.backoff(7, BASE, MAX)).isEqualTo(MAX);
    assertThat(Revoker.backoff(1_000, BASE, MAX)).isEqualTo(MAX);
    assertThat(Revoker.backoff(0, BASE, MAX)).isEqualTo(BASE);
  }
}
