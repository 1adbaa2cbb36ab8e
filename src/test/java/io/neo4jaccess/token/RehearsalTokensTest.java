package io.neo4jaccess.token;

import static io.neo4jaccess.token.TokenFixture.LIMITS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.neo4jaccess.testing.GitLabIdTokens;
import io.neo4jaccess.token.TokenRejected.Reason;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The rehearsal token and its key as they ship: the rehearsal's checklist accepts the token, and
 * nothing else does. {@link #main} makes a new pair (a new key, thrown away once it has signed),
 * should the claims a token must carry ever change.
 */
class RehearsalTokensTest {

  @Test
  void the_rehearsal_token_passes_the_whole_checklist_as_a_job_of_the_named_instance() {
    // when
    GitLabClaims claims = RehearsalTokens.verifiedClaims("main", LIMITS);

    // then
    assertThat(claims.instance()).isEqualTo("main");
    assertThat(claims.issuer()).isEqualTo(RehearsalTokens.ISSUER);
    assertThat(claims.issuedAt()).isEqualTo(RehearsalTokens.ISSUED_AT);
    assertThat(claims.job().project().path()).isEqualTo("rehearsal/exchange");
  }

  @Test
  void the_brokers_own_checklist_refuses_the_rehearsal_token() throws Exception {
    // given: the broker's checklist, which would even find the rehearsal key
    var keys = JwksClient.rsaSigningKeys(resource(RehearsalTokens.KEYS));
    TokenVerifier brokers =
        new TokenVerifier(
            TokenFixture.ISSUERS,
            LIMITS,
            (instance, kid) -> Optional.ofNullable(keys.get(kid)),
            java.time.Clock.fixed(RehearsalTokens.ISSUED_AT, java.time.ZoneOffset.UTC));

    // when / then
    assertThatExceptionOfType(TokenRejected.class)
        .isThrownBy(() -> brokers.verify("Bearer " + resource(RehearsalTokens.TOKEN).strip()))
        .extracting(TokenRejected::reason)
        .isEqualTo(Reason.ISSUER_UNKNOWN);
  }

  @Test
  void the_shipped_key_set_holds_a_public_key_only() throws Exception {
    // when
    var keys = new ObjectMapper().readTree(resource(RehearsalTokens.KEYS)).get("keys");

    // then: no private RSA member (d, p, q, dp, dq, qi) in any key
    assertThat(keys).isNotEmpty();
    keys.forEach(
        key -> assertThat(key.fieldNames()).toIterable().doesNotContain("d", "p", "q", "dp", "dq"));
  }

  private static String resource(String name) throws Exception {
    try (var in = RehearsalTokens.class.getResourceAsStream(name)) {
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
  }

  /**
   * Writes a new rehearsal token and key set into {@code src/main/resources}: a key made here signs
   * the token and is dropped with this JVM. Run from the repository's root.
   */
  public static void main(String[] args) throws Exception {
    GitLabIdTokens signer = new GitLabIdTokens(RehearsalTokens.ISSUER);
    long iat = RehearsalTokens.ISSUED_AT.getEpochSecond();
    Map<String, Object> claims = new HashMap<>();
    claims.put("namespace_id", "1");
    claims.put("namespace_path", "rehearsal");
    claims.put("project_id", "1");
    claims.put("project_path", "rehearsal/exchange");
    claims.put("job_namespace_id", "1");
    claims.put("job_namespace_path", "rehearsal");
    claims.put("job_project_id", "1");
    claims.put("job_project_path", "rehearsal/exchange");
    claims.put("user_id", "1");
    claims.put("user_login", "rehearsal");
    claims.put("user_email", "rehearsal@neo4j-access.invalid");
    claims.put("pipeline_id", "1");
    claims.put("job_id", "1");
    claims.put("environment", "rehearsal");
    claims.put("environment_protected", "false");
    claims.put("deployment_tier", "other");
    claims.put("environment_action", "start");
    claims.put("sha", "0000000000000000000000000000000000000000");
    claims.put("ci_config_sha", "0000000000000000000000000000000000000000");
    claims.put(
        "ci_config_ref_uri",
        "neo4j-access.invalid/rehearsal/exchange//.gitlab-ci.yml@refs/heads/main");
    claims.put("sub", "project_path:rehearsal/exchange:ref_type:branch:ref:main");
    claims.put("jti", "00000000-0000-4000-8000-000000000000");
    claims.put("iat", iat);
    claims.put("nbf", iat - 5);
    claims.put("exp", iat + 300);
    String token = signer.mint(RehearsalTokens.AUDIENCE, claims);
    Path dir = Path.of("src/main/resources/io/neo4jaccess/token");
    Files.createDirectories(dir);
    Files.writeString(dir.resolve(RehearsalTokens.TOKEN), token + "\n");
    Files.writeString(
        dir.resolve(RehearsalTokens.KEYS),
        new ObjectMapper()
                .writerWithDefaultPrettyPrinter()
                .writeValueAsString(Map.of("keys", List.of(signer.jwk())))
            + "\n");
  }
}
