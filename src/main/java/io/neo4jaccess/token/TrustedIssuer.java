package io.neo4jaccess.token;

import io.neo4jaccess.gitlab.GitLabConfig;
import java.util.List;

/**
 * A GitLab instance as the token checklist knows it: the {@code iss} its tokens carry and the
 * audiences accepted from it.
 *
 * @param instance the instance's configured name
 * @param issuer its tokens' {@code iss}
 * @param audiences the {@code aud} values accepted from it; a token must name one
 */
public record TrustedIssuer(String instance, String issuer, List<String> audiences) {

  public TrustedIssuer {
    audiences = List.copyOf(audiences);
  }

  /** Every configured instance; its issuer is configured, else its URL without a trailing slash. */
  static List<TrustedIssuer> of(GitLabConfig gitlab) {
    return gitlab.instances().entrySet().stream()
        .map(
            e ->
                new TrustedIssuer(
                    e.getKey(),
                    e.getValue().issuer().orElse(e.getValue().url().replaceAll("/+$", "")),
                    e.getValue().audience()))
        .toList();
  }
}
