package io.neo4jaccess.gitlab;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The packaged broker refuses settings that would make token checks worthless. */
class ProductionReadinessTest {

  static GitLabConfig config(Map<String, String> properties) {
    return new SmallRyeConfigBuilder()
        .withMapping(GitLabConfig.class)
        // Durations as Quarkus writes them ("3s"), as in application.properties.
        .withConverter(Duration.class, 100, new DurationConverter())
        .withDefaultValues(properties)
        .build()
        .getConfigMapping(GitLabConfig.class);
  }

  @Test
  void https_instances_with_an_audience_are_fit_to_run() {
    GitLabConfig c =
        config(
            Map.of(
                "broker.gitlab.instances.main.url", "https://gitlab.example.com",
                "broker.gitlab.instances.main.audience", "neo4j-access"));
    assertThat(ProductionReadiness.problems(c)).isEmpty();
  }

  @Test
  void plain_http_url_and_issuer_are_refused_naming_the_key() {
    GitLabConfig c =
        config(
            Map.of(
                "broker.gitlab.instances.main.url", "http://gitlab.example.com",
                "broker.gitlab.instances.main.issuer", "http://gitlab.example.com",
                "broker.gitlab.instances.main.audience", "neo4j-access"));
    assertThat(ProductionReadiness.problems(c))
        .containsExactly(
            "broker.gitlab.instances.main.url must use https",
            "broker.gitlab.instances.main.issuer must use https");
  }

  @Test
  void plain_http_is_accepted_only_when_explicitly_allowed() {
    GitLabConfig c =
        config(
            Map.of(
                "broker.gitlab.allow-plain-http", "true",
                "broker.gitlab.instances.demo.url", "http://127.0.0.1:8180",
                "broker.gitlab.instances.demo.audience", "neo4j-access"));
    assertThat(ProductionReadiness.problems(c)).isEmpty();
  }

  @Test
  void a_blank_audience_is_refused() {
    GitLabConfig c =
        config(
            Map.of(
                "broker.gitlab.instances.main.url", "https://gitlab.example.com",
                "broker.gitlab.instances.main.audience", " "));
    assertThat(ProductionReadiness.problems(c))
        .containsExactly("broker.gitlab.instances.main.audience is empty");
  }
}
