package io.neo4jaccess.webhook;

import io.neo4jaccess.gitlab.GitLabConfig;
import io.neo4jaccess.gitlab.TestConfig;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Webhook configurations built in code, so that their checks need no Quarkus. */
final class HookConfigs {

  static final String SIGNING_SECRET = "whsec_" + "A".repeat(43) + "=";

  private HookConfigs() {}

  record Hook(
      Optional<String> secret,
      Optional<String> signingSecret,
      Optional<List<String>> projects,
      Optional<List<String>> groups)
      implements GitLabConfig.Hook {}

  /** Instance {@code main} with an instance-wide secret token, or none, and the given hooks. */
  static GitLabConfig main(
      Optional<String> instanceSecret,
      boolean requireSigned,
      Map<String, GitLabConfig.Hook> hooks) {
    return TestConfig.of(
        "main", TestConfig.TestInstance.withWebhooks(instanceSecret, hooks, requireSigned));
  }

  /** Instance {@code main} with the given hooks and no instance-wide secret. */
  static GitLabConfig withHooks(boolean requireSigned, Map<String, GitLabConfig.Hook> hooks) {
    return main(Optional.empty(), requireSigned, hooks);
  }

  /** A hook with the given secrets, speaking for the given projects. */
  static Hook hook(Optional<String> secret, Optional<String> signingSecret, String... projects) {
    return new Hook(secret, signingSecret, Optional.of(List.of(projects)), Optional.empty());
  }

  /** A hook with a secret token only, speaking for the given projects. */
  static Hook tokenHook(String... projects) {
    return hook(Optional.of("a-secret"), Optional.empty(), projects);
  }
}
