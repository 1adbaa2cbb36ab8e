package io.neo4jaccess.token;

import io.neo4jaccess.gitlab.GitLabConfig;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;

/** Builds the token checklist from the broker's configuration; the checklist itself is plain. */
class TokenBeans {

  @Produces
  @Singleton
  TokenVerifier tokenVerifier(
      GitLabConfig gitlab, TokenConfig config, SigningKeys keys, Clock clock) {
    return new TokenVerifier(TrustedIssuer.of(gitlab), config, keys, clock);
  }
}
