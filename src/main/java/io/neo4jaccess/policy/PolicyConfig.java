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
   * Whether denials and {@code /v1/explain} show the decision: the closest rule, each condition's
   * expected and actual values, what to change, and the full trace. Off, they say only allowed or
   * denied and the failed condition's name. Traces hold no secrets, but jobs print them into their
   * logs, which are public on public projects: turn them off on instances that host any.
   */
  @WithDefault("true")
  boolean traces();
}
