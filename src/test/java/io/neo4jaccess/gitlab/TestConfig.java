package io.neo4jaccess.gitlab;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A {@link GitLabConfig} built in code, so tests need no Quarkus. */
public record TestConfig(
    Map<String, GitLabConfig.Instance> instances,
    Duration factCacheTtl,
    int factCacheSize,
    Duration apiTimeout)
    implements GitLabConfig {

  @Override
  public boolean allowPlainHttp() {
    return true;
  }

  /** The prefetch reads the state store, which these tests do not have. */
  @Override
  public Duration factPrefetchWindow() {
    return Duration.ZERO;
  }

  @Override
  public int factPrefetchSize() {
    return 0;
  }

  @Override
  public Duration factPrefetchBudget() {
    return Duration.ZERO;
  }

  public static TestConfig of(String name, Instance instance) {
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

  /** An instance at {@code url}; webhooks as given, or none. */
  public record TestInstance(
      String url,
      Optional<String> apiToken,
      Optional<Path> apiTokenFile,
      Optional<String> webhookSecret,
      Optional<String> signingSecret,
      Map<String, GitLabConfig.Hook> hooks,
      boolean requireSignedWebhooks)
      implements GitLabConfig.Instance {

    /** An instance without webhooks. */
    public TestInstance(String url, Optional<String> apiToken, Optional<Path> apiTokenFile) {
      this(url, apiToken, apiTokenFile, Optional.empty(), Optional.empty(), Map.of(), false);
    }

    static TestInstance withToken(String url, String token) {
      return new TestInstance(url, Optional.of(token), Optional.empty());
    }

    /** An instance whose webhooks are the given instance-wide secret and hooks. */
    public static TestInstance withWebhooks(
        Optional<String> webhookSecret,
        Map<String, GitLabConfig.Hook> hooks,
        boolean requireSignedWebhooks) {
      return new TestInstance(
          "https://gitlab.example.com",
          Optional.empty(),
          Optional.empty(),
          webhookSecret,
          Optional.empty(),
          hooks,
          requireSignedWebhooks);
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
    public Optional<String> instanceHeader() {
      return Optional.empty();
    }
  }
}
