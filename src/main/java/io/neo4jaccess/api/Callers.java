package io.neo4jaccess.api;

import io.neo4jaccess.token.GitLabClaims;
import io.neo4jaccess.token.TokenVerifier;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;

/**
 * Who calls with an ID token, within the rate limits: the endpoints a job calls before it holds a
 * lease ({@code exchange}, {@code explain}, {@code what-if}) share one verifier and one set of
 * buckets.
 */
@ApplicationScoped
class Callers {

  private final TokenVerifier tokens;
  private final RateLimiter limits;

  @Inject
  Callers(TokenVerifier tokens, RateLimiter limits) {
    this.tokens = tokens;
    this.limits = limits;
  }

  /**
   * The caller's verified token, within the rate limits: its address's before the token is read,
   * its project's as soon as the token is verified, both before anything is written.
   */
  GitLabClaims verify(String authorization, HttpServerRequest http) {
    List<String> forwardedFor = http.headers().getAll("X-Forwarded-For");
    limits.address(
        http.remoteAddress().hostAddress(),
        forwardedFor.isEmpty() ? null : String.join(",", forwardedFor));
    GitLabClaims claims = tokens.verify(authorization);
    limits.project(claims.job().projectKey());
    return claims;
  }
}
