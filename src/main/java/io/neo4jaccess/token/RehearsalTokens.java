package io.neo4jaccess.token;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The token checklist as it runs for a real exchange, on a GitLab-shaped token made for rehearsals:
 * the broker rehearses its exchange at start with it, so that the first job finds the checklist's
 * code loaded and run. The token ({@value #TOKEN}) was signed once with a key that was then thrown
 * away; only the public half ships ({@value #KEYS}, read as a GitLab key set is read). Its issuer
 * is no configured instance's, so the broker's own checklist refuses it ({@code issuer_unknown}),
 * and it expired long ago: the rehearsal's checklist alone runs on a clock set to its issue time.
 */
public final class RehearsalTokens {

  /** An issuer no GitLab instance has: {@code .invalid} is reserved (RFC 2606). */
  static final String ISSUER = "https://rehearsal.neo4j-access.invalid";

  static final String AUDIENCE = "neo4j-access-rehearsal";

  /** The token's {@code iat}. */
  static final Instant ISSUED_AT = Instant.parse("2026-01-01T00:00:00Z");

  static final String TOKEN = "rehearsal-token.jwt";
  static final String KEYS = "rehearsal-keys.json";

  private RehearsalTokens() {}

  /**
   * The rehearsal token's claims, read by the whole checklist.
   *
   * @param instance the configured instance the rehearsed job stands for, so that the policy's
   *     rules for that instance are the ones evaluated
   */
  public static GitLabClaims verifiedClaims(String instance, TokenConfig config) {
    Map<String, RSAPublicKey> keys = JwksClient.rsaSigningKeys(resource(KEYS));
    TokenVerifier checklist =
        new TokenVerifier(
            List.of(new TrustedIssuer(instance, ISSUER, List.of(AUDIENCE))),
            config,
            (i, kid) -> Optional.ofNullable(keys.get(kid)),
            Clock.fixed(ISSUED_AT, ZoneOffset.UTC));
    return checklist.verify("Bearer " + resource(TOKEN).strip());
  }

  private static String resource(String name) {
    try (InputStream in = RehearsalTokens.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
