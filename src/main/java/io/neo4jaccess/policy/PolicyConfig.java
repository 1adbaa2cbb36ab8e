package io.neo4jaccess.policy;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Where the policy is, how it is reloaded, and who may see what of it. */
@ConfigMapping(prefix = "broker.policy")
public interface PolicyConfig {

  /**
   * The policy YAML file; the broker refuses to start if it is missing or invalid. It is read again
   * every {@link #reloadInterval()} and on {@code SIGHUP}; a changed, valid policy takes effect, an
   * invalid one is refused and the loaded one stays.
   */
  Optional<Path> file();

  /**
   * The policy YAML itself, for deployments that pass configuration only as environment (a CI
   * service container). Exactly one of {@code file} and {@code inline} must be set. An inline
   * policy changes only with a restart.
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

  /**
   * How often the policy file's content is compared with the loaded policy's (SHA-256). Polling the
   * content, not watching the directory, sees every way a file is replaced: a Kubernetes ConfigMap
   * swapping its {@code ..data} symlink, an editor writing in place, a deploy renaming a new file
   * over the old. {@code 0s} turns polling off; {@code SIGHUP} still reloads.
   */
  @WithDefault("2s")
  Duration reloadInterval();

  /**
   * The policy repositories: projects whose jobs may ask, with their own ID token, what a candidate
   * policy would change ({@code POST /v1/policy/what-if}), each as {@code <instance>:<project
   * path>}, e.g. {@code main:platform/access-policy}. The answer names projects, rules and jobs of
   * every decision in its window: name only projects whose developers may see that. Unset: nobody
   * may ask.
   */
  Optional<List<String>> repositories();

  /** Bounds of {@code POST /v1/policy/what-if}. */
  WhatIf whatIf();

  /** Bounds of {@code POST /v1/policy/what-if}. */
  interface WhatIf {

    /**
     * Most recorded decisions one what-if evaluates, the newest of its window; the answer says when
     * the window held more.
     */
    @WithDefault("10000")
    int maxDecisions();
  }
}
