package io.neo4jaccess.api;

import io.neo4jaccess.gitlab.GitLabConfig;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * Refuses to start the packaged broker without an https {@code broker.api.public-url}: lease links
 * in job annotations would otherwise be built from the request's Host header, which the caller
 * chooses, or point to a lease page (whose id is a capability) over plain HTTP. Development, tests
 * and the local demo may opt out with {@code broker.gitlab.allow-plain-http}.
 */
@ApplicationScoped
class ApiReadiness {

  void check(@Observes StartupEvent e, ApiConfig api, GitLabConfig gitlab) {
    if (LaunchMode.current() != LaunchMode.NORMAL) {
      return;
    }
    List<String> problems = problems(api.publicUrl(), gitlab.allowPlainHttp());
    if (!problems.isEmpty()) {
      throw new IllegalStateException("insecure configuration: " + String.join("; ", problems));
    }
  }

  /** Every insecure setting, one sentence each; empty when the configuration is fit to run. */
  static List<String> problems(Optional<String> publicUrl, boolean allowPlainHttp) {
    if (allowPlainHttp) {
      return List.of();
    }
    if (publicUrl.isEmpty()) {
      return List.of(
          "broker.api.public-url is not set (links would be built from the request's Host"
              + " header)");
    }
    return https(publicUrl.get())
        ? List.of()
        : List.of("broker.api.public-url must be an https URL");
  }

  private static boolean https(String url) {
    try {
      URI uri = URI.create(url);
      return "https".equalsIgnoreCase(uri.getScheme()) && uri.getHost() != null;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
