package io.neo4jaccess.api;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Optional;

/** How the broker presents itself over HTTP. */
@ConfigMapping(prefix = "broker.api")
public interface ApiConfig {

  /**
   * The broker's external base URL, used in lease summary links and job annotations. Required in
   * production; without it links are built from the request's Host header.
   */
  Optional<String> publicUrl();

  /** Largest accepted body of {@code /v1/exchange} and {@code /v1/explain}, in bytes. */
  @WithDefault("16384")
  int maxRequestBytes();
}
