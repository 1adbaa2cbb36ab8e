package io.neo4jaccess.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The packaged broker builds its links from configuration, never from a request's Host header. */
class ApiReadinessTest {

  @Test
  void an_https_public_url_is_fit_to_run() {
    assertThat(ApiReadiness.problems(Optional.of("https://neo4j-access.example.com"), false))
        .isEmpty();
  }

  @Test
  void without_a_public_url_the_broker_refuses_to_start() {
    assertThat(ApiReadiness.problems(Optional.empty(), false))
        .singleElement()
        .asString()
        .contains("broker.api.public-url is not set")
        .contains("Host header");
  }

  @Test
  void a_plain_http_or_relative_public_url_is_refused() {
    assertThat(ApiReadiness.problems(Optional.of("http://neo4j-access.example.com"), false))
        .containsExactly("broker.api.public-url must be an https URL");
    assertThat(ApiReadiness.problems(Optional.of("/broker"), false))
        .containsExactly("broker.api.public-url must be an https URL");
  }

  @Test
  void development_and_the_demo_may_opt_out_with_allow_plain_http() {
    assertThat(ApiReadiness.problems(Optional.empty(), true)).isEmpty();
  }
}
