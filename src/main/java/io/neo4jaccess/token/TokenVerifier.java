package io.neo4jaccess.token;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.neo4jaccess.token.TokenRejected.Reason;
import java.nio.charset.StandardCharsets;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwa.AlgorithmConstraints.ConstraintType;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.lang.JoseException;

/**
 * Verifies a GitLab ID token, as a checklist. Cheap checks on the token's form and claims come
 * first so that a token that could never be accepted costs no key lookup; nothing is trusted until
 * the signature has been verified last.
 *
 * <ol>
 *   <li>a bearer token is present and is a compact JWS of plain JSON objects with unique members
 *   <li>the algorithm is RS256 (never {@code none}, never HMAC), a {@code kid} is named and no key
 *       is named inside the token
 *   <li>{@code iss} names a configured instance — before any network call
 *   <li>{@code aud} holds one of that instance's audiences
 *   <li>{@code exp}, {@code nbf}, {@code iat} within the leeway; {@code iat} not older than max age
 *   <li>the RS256 signature verifies with that instance's key for the {@code kid}
 *   <li>every claim has the type GitLab sends it as ({@link GitLabClaimsReader})
 * </ol>
 *
 * Each failure is a {@link TokenRejected} with its {@link Reason}. Single use of {@code jti} is
 * enforced later, atomically with issuing.
 */
public class TokenVerifier {

  private static final Duration MAX_LEEWAY = Duration.ofSeconds(60);

  /** Three base64url parts; the signature may be empty so that {@code alg: none} is named. */
  private static final Pattern COMPACT_JWS =
      Pattern.compile("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*");

  private static final ObjectMapper STRICT_JSON =
      new ObjectMapper(
          JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build());

  private static final AlgorithmConstraints RS256_ONLY =
      new AlgorithmConstraints(ConstraintType.PERMIT, AlgorithmIdentifiers.RSA_USING_SHA256);

  private final Map<String, TrustedIssuer> issuers = new HashMap<>();
  private final TokenConfig config;
  private final SigningKeys keys;
  private final Clock clock;

  /**
   * @param issuers the trusted instances; no two may share an issuer
   * @param config leeway, maximum age and maximum length
   * @param keys where each instance's signing keys come from
   * @param clock the time lifetimes are checked against
   */
  public TokenVerifier(
      List<TrustedIssuer> issuers, TokenConfig config, SigningKeys keys, Clock clock) {
    if (config.leeway().compareTo(MAX_LEEWAY) > 0 || config.leeway().isNegative()) {
      throw new IllegalStateException("broker.token.leeway must be between 0 and 60s");
    }
    this.config = config;
    this.keys = keys;
    this.clock = clock;
    for (TrustedIssuer issuer : issuers) {
      TrustedIssuer previous = this.issuers.put(issuer.issuer(), issuer);
      if (previous != null) {
        throw new IllegalStateException(
            "GitLab instances "
                + previous.instance()
                + " and "
                + issuer.instance()
                + " share an issuer");
      }
    }
  }

  /**
   * Runs the checklist on an {@code Authorization} header value.
   *
   * @throws TokenRejected when a check fails
   * @throws SigningKeysUnavailable when the instance's keys cannot be fetched
   */
  public GitLabClaims verify(String authorization) {
    return verify(authorization, true);
  }

  /**
   * The checklist for a job revoking its own lease at its end ({@code after_script}), which may be
   * long after the exchange: every check but the maximum age, since revoking only lowers access.
   */
  public GitLabClaims verifyToRevoke(String authorization) {
    return verify(authorization, false);
  }

  private GitLabClaims verify(String authorization, boolean enforceMaxAge) {
    String token = bearer(authorization);
    JsonNode header = jsonPart(token, 0);
    JsonNode payload = jsonPart(token, 1);

    if (!"RS256".equals(text(header, "alg"))) {
      throw new TokenRejected(Reason.ALGORITHM, "Only RS256-signed GitLab ID tokens are accepted.");
    }
    if (header.has("crit") || header.has("jku") || header.has("x5u") || header.has("jwk")) {
      // Keys named inside the token would let its bearer choose the trust anchor.
      throw TokenRejected.malformed("the token header names keys or critical extensions");
    }
    String kid = requireText(header, "kid");
    String iss = requireText(payload, "iss");
    requireText(payload, "jti");
    GitLabClaimsReader claims = new GitLabClaimsReader(payload);
    Instant expiresAt = claims.requiredDate("exp");
    Instant issuedAt = claims.requiredDate("iat");

    TrustedIssuer issuer = issuers.get(iss);
    if (issuer == null) {
      throw new TokenRejected(
          Reason.ISSUER_UNKNOWN, "The token's issuer is not a configured GitLab instance.");
    }
    if (Collections.disjoint(claims.audience(), issuer.audiences())) {
      throw new TokenRejected(
          Reason.AUDIENCE, "The token's audience is not accepted by this broker.");
    }
    checkLifetime(expiresAt, claims.date("nbf"), issuedAt, enforceMaxAge);
    checkSignature(token, keys.key(issuer.instance(), kid));
    return GitLabClaimsReader.read(issuer.instance(), payload);
  }

  private void checkLifetime(Instant exp, Instant nbf, Instant iat, boolean enforceMaxAge) {
    Instant now = clock.instant();
    Duration leeway = config.leeway();
    if (now.isAfter(exp.plus(leeway))) {
      throw new TokenRejected(Reason.EXPIRED, "The token has expired.");
    }
    if (nbf != null && now.plus(leeway).isBefore(nbf)) {
      throw new TokenRejected(Reason.NOT_YET_VALID, "The token is not valid yet.");
    }
    if (now.plus(leeway).isBefore(iat)) {
      throw new TokenRejected(Reason.NOT_YET_VALID, "The token was issued in the future.");
    }
    if (enforceMaxAge && now.isAfter(iat.plus(config.maxAge()).plus(leeway))) {
      throw new TokenRejected(
          Reason.TOO_OLD,
          "The token was issued more than " + config.maxAge().toMinutes() + " minutes ago.");
    }
  }

  /** RS256 with the instance's key for the token's {@code kid}; no such key, no valid token. */
  private static void checkSignature(String token, Optional<RSAPublicKey> key) {
    if (key.isEmpty() || !rs256Verifies(token, key.get())) {
      throw new TokenRejected(Reason.SIGNATURE, "The token's signature is not valid.");
    }
  }

  private static boolean rs256Verifies(String token, RSAPublicKey key) {
    try {
      JsonWebSignature jws = new JsonWebSignature();
      jws.setAlgorithmConstraints(RS256_ONLY);
      jws.setCompactSerialization(token);
      jws.setKey(key);
      return jws.verifySignature();
    } catch (JoseException e) {
      return false;
    }
  }

  private String bearer(String authorization) {
    if (authorization == null || authorization.isBlank()) {
      throw new TokenRejected(
          Reason.MISSING, "Send the job's ID token as 'Authorization: Bearer'.");
    }
    if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      throw new TokenRejected(Reason.MISSING, "The Authorization header is not a Bearer token.");
    }
    String token = authorization.substring(7).strip();
    if (token.length() > config.maxLength()) {
      throw TokenRejected.malformed(
          "the token is longer than " + config.maxLength() + " characters");
    }
    if (!COMPACT_JWS.matcher(token).matches()) {
      throw TokenRejected.malformed("the token is not a signed JWT in compact form");
    }
    return token;
  }

  private static JsonNode jsonPart(String token, int index) {
    String part = token.split("\\.", 3)[index];
    try {
      byte[] json = Base64.getUrlDecoder().decode(part);
      JsonNode node = STRICT_JSON.readTree(new String(json, StandardCharsets.UTF_8));
      if (node == null || !node.isObject()) {
        throw TokenRejected.malformed("a token part is not a JSON object");
      }
      return node;
    } catch (IllegalArgumentException | JsonProcessingException e) {
      throw TokenRejected.malformed(
          "a token part is not base64url-encoded JSON with unique members");
    }
  }

  private static String text(JsonNode node, String field) {
    JsonNode v = node.get(field);
    return v != null && v.isTextual() ? v.asText() : null;
  }

  private static String requireText(JsonNode node, String field) {
    String v = text(node, field);
    if (v == null || v.isEmpty()) {
      throw TokenRejected.malformed("'" + field + "' is missing or not a string");
    }
    return v;
  }
}
