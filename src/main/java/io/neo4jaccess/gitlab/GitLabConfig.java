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
   * How far back the start looks for jobs whose facts it reads into the cache before the broker
   * turns ready, so that the first job of a project seen lately waits for no GitLab call. Zero
   * reads none.
   */
  @WithDefault("24h")
  Duration factPrefetchWindow();

  /**
   * How many of the most recently decided jobs (one per project, ref type and environment) the
   * start reads the facts of at most; each costs up to four GitLab calls.
   */
  @WithDefault("50")
  int factPrefetchSize();

  /**
   * How long the prefetch may hold readiness at most: after this it starts no more reads, and the
   * facts left are read when a job needs them, as ever.
   */
  @WithDefault("1s")
  Duration factPrefetchBudget();

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

    /**
     * Secret token ({@code X-Gitlab-Token}) of an <em>instance-wide</em> webhook: whoever holds it
     * speaks for every project of the instance. Prefer {@link #hooks()}, each bound to the projects
     * or groups it may speak for.
     */
    Optional<String> webhookSecret();

    /**
     * Standard-Webhooks signing secret ({@code whsec_...}) of the instance-wide webhook, when
     * GitLab signs it. Instance-wide like {@link #webhookSecret()}.
     */
    Optional<String> signingSecret();

    /**
     * The webhooks configured in GitLab for this instance, by a name of the operator's choosing
     * (used in log lines). Each has its own secret and may speak only for the projects or groups it
     * names.
     */
    Map<String, Hook> hooks();

    /**
     * Accept this instance's webhooks only when they carry a valid Standard-Webhooks signature: a
     * delivery with {@code X-Gitlab-Token} alone is refused, so that a secret token seen in transit
     * cannot forge deliveries. Every hook of the instance, the instance-wide one included, then
     * needs a signing secret.
     */
    @WithDefault("false")
    boolean requireSignedWebhooks();

    /** The name GitLab sends in {@code X-Gitlab-Instance}, when it differs from the URL host. */
    Optional<String> instanceHeader();
  }

  /**
   * One webhook as configured in GitLab (a group hook, or a project hook), with its own secret and
   * what it may speak for. A delivery about any other project changes nothing.
   */
  interface Hook {
    /** The webhook's secret token, sent by GitLab in {@code X-Gitlab-Token}. */
    Optional<String> secret();

    /** The webhook's Standard-Webhooks signing token, {@code whsec_<base64>}. */
    Optional<String> signingSecret();

    /**
     * Projects the hook may speak for: numeric project ids, or full paths where {@code *} matches
     * within one path segment ({@code platform/*}). Paths compare without regard to case, as GitLab
     * routes them.
     */
    Optional<List<String>> projects();

    /**
     * Groups the hook may speak for: a numeric group id covers the projects directly in that group;
     * a group's full path ({@code platform}) covers every project below it, subgroups included.
     */
    Optional<List<String>> groups();
  }
}
