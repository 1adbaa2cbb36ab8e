package io.neo4jaccess.gitlab;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A {@link GitLabConfig} built in code, so tests need no Quarkus. */
record TestConfig(
    Map<String, GitLabConfig.Instance> instances,
    Duration factCacheTtl,
    int factCacheSize,
    Duration apiTimeout)
    implements GitLabConfig {

  @Override
  public boolean allowPlainHttp() {
    return true;
  }

  static TestConfig of(String name, Instance instance) {
    return new TestConfig(
        Map.of(name, instance), Duration.ofSeconds(60), 100, Duration.ofSeconds(2));
  }

  TestConfig withTtl(Duration ttl) {
    return new TestConfig(instances, ttl, factCacheSize, apiTimeout);
  }

  TestConfig withCacheSize(int size) {
    return new TestConfig(instances, factCacheTtl, size, apiTimeout);
  }

  TestConfig withApiTimeout(Duration timeout) {
    return new TestConfig(instances, factCacheTtl, factCacheSize, timeout);
  }

  record TestInstance(String url, Optional<String> apiToken, Optional<Path> apiTokenFile)
      implements GitLabConfig.Instance {

    static TestInstance withToken(String url, String token) {
      return new TestInstance(url, Optional.of(token), Optional.empty());
    }

    @Override
    public Optional<String> issuer() {
      return Optional.empty();
    }

    @Override
    public List<String> audience() {
      return List.of("neo4j-access");
    }

    @Override
    public Optional<String> webhookSecret() {
      return Optional.empty();
    }

    @Override
    public Optional<String> signingSecret() {
      return Optional.empty();
    }

    @Override
    public Optional<String> instanceHeader() {
      return Optional.empty();
    }
  }
}
