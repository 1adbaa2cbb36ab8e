package io.neo4jaccess.policy;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.util.Optional;

/** Where the policy is and how much of a decision callers may see. */
@ConfigMapping(prefix = "broker.policy")
public interface PolicyConfig {

  /** The policy YAML file; the broker refuses to start if it is missing or invalid. */
  Optional<Path> file();

  /**
   * The policy YAML itself, for deployments that pass configuration only as environment (a CI
   * service container). Exactly one of {@code file} and {@code inline} must be set.
   */
  Optional<String> inline();

  /**
   * Whether a {@code denied} answer carries the full decision trace. Traces name rules and
   * conditions, not secrets; turn them off to hide the policy's shape from callers.
   */
  @WithDefault("true")
  boolean traces();
}
