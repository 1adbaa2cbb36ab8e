package io.neo4jaccess.gitlab;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The GitLab instances whose CI jobs may exchange ID tokens, keyed by a short instance name. */
@ConfigMapping(prefix = "broker.gitlab")
public interface GitLabConfig {

  /** Every trusted GitLab instance. The token's {@code iss} picks one; no other is consulted. */
  Map<String, Instance> instances();

  /** How long a fact read from GitLab's API may be reused before it is read again. */
  @WithDefault("60s")
  Duration factCacheTtl();

  /** How many projects' facts are cached per instance at most. */
  @WithDefault("10000")
  int factCacheSize();

  /**
   * Accept GitLab instances reached over plain HTTP. Only for development and the local demo: the
   * packaged broker refuses to start with an {@code http://} instance otherwise.
   */
  @WithDefault("false")
  boolean allowPlainHttp();

  /** Time limit for one GitLab API call; a slower answer counts as GitLab being unavailable. */
  @WithDefault("3s")
  Duration apiTimeout();

  /** One GitLab instance. */
  interface Instance {
    /** Base URL, e.g. {@code https://gitlab.example.com}; discovery and keys are read below it. */
    String url();

    /**
     * The {@code iss} this instance puts in ID tokens; GitLab uses its URL with scheme unless an
     * admin changed it. Defaults to {@link #url()}.
     */
    Optional<String> issuer();

    /** Audiences accepted from this instance; the job's {@code id_tokens.aud} must name one. */
    List<String> audience();

    /** API token with {@code read_api}, used to read protection settings and job status. */
    Optional<String> apiToken();

    /** File holding the API token (a mounted secret); wins over {@link #apiToken()}. */
    Optional<Path> apiTokenFile();

    /** Shared secret that GitLab sends in {@code X-Gitlab-Token} with every webhook. */
    Optional<String> webhookSecret();

    /** Standard-Webhooks signing secret ({@code whsec_...}), when GitLab signs its hooks. */
    Optional<String> signingSecret();

    /** The name GitLab sends in {@code X-Gitlab-Instance}, when it differs from the URL host. */
    Optional<String> instanceHeader();
  }
}
