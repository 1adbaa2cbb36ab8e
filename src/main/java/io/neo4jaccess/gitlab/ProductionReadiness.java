package io.neo4jaccess.gitlab;

import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Refuses to start the packaged broker with settings that would make its token checks worthless: a
 * GitLab instance reached or identified over plain HTTP (keys and API answers could be forged in
 * transit), or an instance with no audience. Development, tests and the local demo may opt out with
 * {@code broker.gitlab.allow-plain-http}.
 */
@ApplicationScoped
class ProductionReadiness {

  void check(@Observes StartupEvent e, GitLabConfig gitlab) {
    if (LaunchMode.current() != LaunchMode.NORMAL) {
      return;
    }
    List<String> problems = problems(gitlab);
    if (!problems.isEmpty()) {
      throw new IllegalStateException("insecure configuration: " + String.join("; ", problems));
    }
  }

  /** Every insecure setting, one sentence each; empty when the configuration is fit to run. */
  static List<String> problems(GitLabConfig gitlab) {
    List<String> problems = new ArrayList<>();
    if (gitlab.instances().isEmpty()) {
      problems.add("no GitLab instance is configured (broker.gitlab.instances.<name>.url)");
    }
    gitlab
        .instances()
        .forEach(
            (name, i) -> {
              String where = "broker.gitlab.instances." + name;
              if (i.audience().stream().allMatch(String::isBlank)) {
                problems.add(where + ".audience is empty");
              }
              if (!gitlab.allowPlainHttp()) {
                if (!https(i.url())) {
                  problems.add(where + ".url must use https");
                }
                if (i.issuer().isPresent() && !https(i.issuer().get())) {
                  problems.add(where + ".issuer must use https");
                }
              }
            });
    return problems;
  }

  private static boolean https(String url) {
    try {
      return "https".equals(URI.create(url).getScheme().toLowerCase(Locale.ROOT));
    } catch (RuntimeException e) {
      return false;
    }
  }
}
