package io.neo4jaccess.token;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** How GitLab ID tokens are checked. Instances and audiences are in {@code broker.gitlab}. */
@ConfigMapping(prefix = "broker.token")
public interface TokenConfig {

  /** Clock skew tolerated on {@code exp}, {@code nbf} and {@code iat}; at most 60 s. */
  @WithDefault("30s")
  Duration leeway();

  /**
   * Oldest accepted token, by {@code iat}. The exchange step runs when the job starts, so a token
   * much older than that was probably lifted from a log or an artifact.
   */
  @WithDefault("15m")
  Duration maxAge();

  /** Largest accepted token, in characters; GitLab's are about 1-2 KB. */
  @WithDefault("16384")
  int maxLength();

  /** A token with an unknown {@code kid} refetches the keys at most this often per instance. */
  @WithDefault("30s")
  Duration jwksRefreshInterval();
}
