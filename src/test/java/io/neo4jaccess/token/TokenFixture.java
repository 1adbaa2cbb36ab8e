package io.neo4jaccess.token;

import io.neo4jaccess.testing.GitLabIdTokens;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The token checklist with nothing around it: two GitLab instances ({@code main} and {@code other})
 * whose keys are held in memory, a clock fixed at {@link #NOW}, and GitLab-shaped tokens issued at
 * that moment.
 */
final class TokenFixture {

  static final Instant NOW = Instant.parse("2026-03-02T10:00:00Z");
  static final String AUDIENCE = "neo4j-access";
  static final String OTHER_AUDIENCE = "neo4j-access-other";
  static final GitLabIdTokens MAIN = new GitLabIdTokens("https://gitlab.example.com");
  static final GitLabIdTokens OTHER = new GitLabIdTokens("https://gitlab.other.example");

  static final TokenConfig LIMITS =
      new Limits(Duration.ofSeconds(30), Duration.ofMinutes(15), 16384, Duration.ofSeconds(30));

  static final List<TrustedIssuer> ISSUERS =
      List.of(
          new TrustedIssuer("main", "https://gitlab.example.com", List.of(AUDIENCE)),
          new TrustedIssuer("other", "https://gitlab.other.example", List.of(OTHER_AUDIENCE)));

  /** How often the checklist asked for a key. */
  int keyLookups;

  final TokenVerifier verifier =
      new TokenVerifier(ISSUERS, LIMITS, this::publishedKey, Clock.fixed(NOW, ZoneOffset.UTC));

  /** Each instance publishes its current key under its kid, as GitLab's JWKS does. */
  private Optional<RSAPublicKey> publishedKey(String instance, String kid) {
    keyLookups++;
    GitLabIdTokens issuer = instance.equals("main") ? MAIN : OTHER;
    return issuer.kid().equals(kid) ? Optional.of(issuer.publicKey()) : Optional.empty();
  }

  /** {@code main}'s claims for a push pipeline's job, issued at {@link #NOW}, with overrides. */
  static Map<String, Object> claims(Map<String, ?> overrides) {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("iat", NOW.getEpochSecond());
    c.put("nbf", NOW.getEpochSecond() - 5);
    c.put("exp", NOW.getEpochSecond() + 3600);
    c.putAll(overrides);
    return MAIN.claims(AUDIENCE, c);
  }

  /** A token {@code main} signed, with these claims overridden (a null value removes one). */
  static String signed(Map<String, ?> overrides) {
    return MAIN.sign(MAIN.header(), claims(overrides));
  }

  static String bearer(String token) {
    return "Bearer " + token;
  }

  record Limits(Duration leeway, Duration maxAge, int maxLength, Duration jwksRefreshInterval)
      implements TokenConfig {}
}
