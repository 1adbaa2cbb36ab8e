package io.neo4jaccess.token;

import static io.neo4jaccess.token.TokenFixture.AUDIENCE;
import static io.neo4jaccess.token.TokenFixture.MAIN;
import static io.neo4jaccess.token.TokenFixture.NOW;
import static io.neo4jaccess.token.TokenFixture.OTHER;
import static io.neo4jaccess.token.TokenFixture.OTHER_AUDIENCE;
import static io.neo4jaccess.token.TokenFixture.bearer;
import static io.neo4jaccess.token.TokenFixture.claims;
import static io.neo4jaccess.token.TokenFixture.signed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.neo4jaccess.testing.GitLabIdTokens;
import io.neo4jaccess.token.TokenRejected.Reason;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The token checklist as a table of tokens an attacker (or a misconfigured job) would send, each
 * refused with its own reason, and of tokens GitLab would send, each accepted. No server: a fixed
 * clock and keys held in memory.
 */
class TokenVerifierTest {

  private final TokenFixture fixture = new TokenFixture();

  /** A named Authorization header value (null: none) and the reason it must be refused for. */
  record Hostile(String name, Token authorization, Reason reason) {

    /** Builds the header when the case runs, so each case signs its own token. */
    interface Token {
      String get() throws Exception;
    }

    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Hostile> hostileTokens() {
    return Stream.of(
        new Hostile("missing_bearer", () -> null, Reason.MISSING),
        new Hostile("basic_instead_of_bearer", () -> "Basic bmVvNGo6bmVvNGo=", Reason.MISSING),
        new Hostile("malformed", () -> "Bearer not-a-jwt", Reason.MALFORMED),
        new Hostile(
            "payload_not_json",
            () -> bearer(b64("{\"alg\":\"RS256\"}") + "." + b64("[1,2]") + ".c2ln"),
            Reason.MALFORMED),
        new Hostile(
            "duplicate_claim",
            () ->
                bearer(
                    MAIN.signRaw(
                        json(MAIN.header()),
                        json(claims(Map.of()))
                            .replaceFirst("\\{", "{\"project_path\":\"demo/evil\","))),
            Reason.MALFORMED),
        new Hostile("missing_jti", () -> bearer(signed(without("jti"))), Reason.MALFORMED),
        new Hostile("missing_kid", () -> bearer(withHeader("kid", null)), Reason.MALFORMED),
        new Hostile("kid_not_a_string", () -> bearer(withHeader("kid", 1)), Reason.MALFORMED),
        new Hostile(
            "header_names_a_key_url_jku",
            () -> bearer(withHeader("jku", "https://evil.example/keys")),
            Reason.MALFORMED),
        new Hostile(
            "header_names_a_certificate_url_x5u",
            () -> bearer(withHeader("x5u", "https://evil.example/cert")),
            Reason.MALFORMED),
        new Hostile(
            "header_embeds_a_key_jwk",
            () -> bearer(withHeader("jwk", MAIN.jwk())),
            Reason.MALFORMED),
        new Hostile(
            "header_has_critical_extensions",
            () -> bearer(withHeader("crit", List.of("b64"))),
            Reason.MALFORMED),
        new Hostile(
            "alg_none",
            () ->
                bearer(b64(json(header("alg", "none"))) + "." + b64(json(claims(Map.of()))) + "."),
            Reason.ALGORITHM),
        new Hostile("hs256_with_public_key", () -> bearer(hs256WithPublicKey()), Reason.ALGORITHM),
        new Hostile(
            "unknown_issuer",
            () -> bearer(signed(Map.of("iss", "https://gitlab.evil.example"))),
            Reason.ISSUER_UNKNOWN),
        new Hostile(
            "bare_host_issuer",
            () -> bearer(signed(Map.of("iss", "gitlab.example.com"))),
            Reason.ISSUER_UNKNOWN),
        new Hostile(
            "wrong_issuer_for_keys",
            () -> bearer(OTHER.sign(OTHER.header(), claims(Map.of()))),
            Reason.SIGNATURE),
        new Hostile(
            "foreign_key_under_a_known_kid",
            () -> bearer(OTHER.sign(MAIN.header(), claims(Map.of()))),
            Reason.SIGNATURE),
        new Hostile(
            "other_instance_audience",
            () -> bearer(signed(Map.of("aud", OTHER_AUDIENCE))),
            Reason.AUDIENCE),
        new Hostile(
            "wrong_audience",
            () -> bearer(signed(Map.of("aud", "some-other-service"))),
            Reason.AUDIENCE),
        new Hostile("no_audience", () -> bearer(signed(without("aud"))), Reason.AUDIENCE),
        new Hostile("expired", () -> bearer(signed(lifetime(-600, -605, -300))), Reason.EXPIRED),
        new Hostile(
            "not_yet_valid", () -> bearer(signed(lifetime(600, 595, 4200))), Reason.NOT_YET_VALID),
        new Hostile(
            "not_before_in_the_future",
            () -> bearer(signed(lifetime(0, 120, 3600))),
            Reason.NOT_YET_VALID),
        new Hostile("too_old", () -> bearer(signed(lifetime(-3600, -3605, 600))), Reason.TOO_OLD),
        new Hostile(
            "unknown_kid",
            () -> bearer(MAIN.sign(header("kid", "not-a-known-key"), claims(Map.of()))),
            Reason.SIGNATURE),
        new Hostile("tampered_payload", () -> bearer(tamperedPayload()), Reason.SIGNATURE),
        new Hostile("tampered_signature", () -> bearer(tamperedSignature()), Reason.SIGNATURE),
        new Hostile(
            "oversized",
            () -> bearer(signed(Map.of("padding", "x".repeat(12_500)))),
            Reason.MALFORMED));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("hostileTokens")
  void hostile_token_is_rejected_with_its_reason_and_never_echoed(Hostile hostile)
      throws Exception {
    String authorization = hostile.authorization().get();

    assertThatExceptionOfType(TokenRejected.class)
        .isThrownBy(() -> fixture.verifier.verify(authorization))
        .satisfies(e -> assertThat(e.reason()).isEqualTo(hostile.reason()))
        .satisfies(
            e -> {
              if (authorization != null && authorization.length() > 20) {
                assertThat(e.getMessage()).doesNotContain(authorization.substring(7));
              }
            });
  }

  @Test
  void a_token_gitlab_signed_yields_every_documented_claim_with_its_type() {
    // given a deployment job's token with every claim GitLab documents
    Map<String, Object> deploy = new HashMap<>();
    deploy.put("environment", "production");
    deploy.put("environment_protected", "true");
    deploy.put("deployment_tier", "production");
    deploy.put("environment_action", "start");
    deploy.put("groups_direct", List.of("demo", "platform/ops"));
    deploy.put("job_id", "5123");
    deploy.put("pipeline_id", "1001");
    String token = signed(deploy);

    // when it is verified
    GitLabClaims c = fixture.verifier.verify(bearer(token));

    // then each claim is in its own accessor, typed
    assertThat(c.instance()).isEqualTo("main");
    assertThat(c.issuer()).isEqualTo("https://gitlab.example.com");
    assertThat(c.subject()).isEqualTo("project_path:demo/app:ref_type:branch:ref:main");
    assertThat(c.audience()).containsExactly(AUDIENCE);
    assertThat(c.jti()).isNotBlank();
    assertThat(c.issuedAt()).isEqualTo(NOW);
    assertThat(c.notBefore()).isEqualTo(NOW.minusSeconds(5));
    assertThat(c.expiresAt()).isEqualTo(NOW.plusSeconds(3600));
    assertThat(List.of(c.namespaceId(), c.projectId(), c.jobNamespaceId(), c.jobProjectId()))
        .containsExactly(72L, 22L, 72L, 22L);
    assertThat(
            List.of(c.namespacePath(), c.projectPath(), c.jobNamespacePath(), c.jobProjectPath()))
        .containsExactly("demo", "demo/app", "demo", "demo/app");
    assertThat(c.userId()).isEqualTo(42L);
    assertThat(List.of(c.userLogin(), c.userEmail(), c.userAccessLevel()))
        .containsExactly("alice", "alice@example.com", "maintainer");
    assertThat(c.pipelineId()).isEqualTo(1001L);
    assertThat(c.pipelineSource()).isEqualTo("push");
    assertThat(c.jobId()).isEqualTo(5123L);
    assertThat(List.of(c.ref(), c.refType(), c.refPath()))
        .containsExactly("main", "branch", "refs/heads/main");
    assertThat(c.refProtected()).isTrue();
    assertThat(List.of(c.environment(), c.deploymentTier(), c.environmentAction()))
        .containsExactly("production", "production", "start");
    assertThat(c.environmentProtected()).isTrue();
    assertThat(c.runnerId()).isEqualTo(7L);
    assertThat(c.runnerEnvironment()).isEqualTo("self-hosted");
    assertThat(List.of(c.sha(), c.ciConfigSha()))
        .containsOnly("5f923865dde3436854e9ceb9cdb7815618d4e849");
    assertThat(c.ciConfigRefUri())
        .isEqualTo("gitlab.example.com/demo/app//.gitlab-ci.yml@refs/heads/main");
    assertThat(c.projectVisibility()).isEqualTo("private");
    assertThat(c.groupsDirect()).containsExactly("demo", "platform/ops");
  }

  @Test
  void claims_a_gitlab_version_leaves_out_are_null() {
    // given a token of a GitLab before 18.4, for a job without an environment
    Map<String, Object> older = new HashMap<>();
    for (String claim :
        List.of(
            "job_project_id",
            "job_project_path",
            "job_namespace_id",
            "job_namespace_path",
            "runner_id",
            "nbf")) {
      older.put(claim, null);
    }

    // when it is verified
    GitLabClaims c = fixture.verifier.verify(bearer(signed(older)));

    // then what it lacks is null, and the running project is the token's project
    assertThat(c.jobProjectId()).isNull();
    assertThat(c.runnerId()).isNull();
    assertThat(c.notBefore()).isNull();
    assertThat(c.environment()).isNull();
    assertThat(c.environmentProtected()).isNull();
    assertThat(c.groupsDirect()).isNull();
    assertThat(c.runningProjectId()).isEqualTo(22L);
    assertThat(c.runningProjectPath()).isEqualTo("demo/app");
  }

  @Test
  void an_audience_list_naming_one_of_ours_is_accepted() {
    String token = signed(Map.of("aud", List.of("vault", AUDIENCE)));

    assertThat(fixture.verifier.verify(bearer(token)).audience())
        .containsExactly("vault", AUDIENCE);
  }

  @Test
  void a_token_of_the_other_instance_is_checked_with_its_own_keys() {
    Map<String, Object> c = claims(Map.of());
    c.put("iss", "https://gitlab.other.example");
    c.put("aud", OTHER_AUDIENCE);

    GitLabClaims verified = fixture.verifier.verify(bearer(OTHER.sign(OTHER.header(), c)));

    assertThat(verified.instance()).isEqualTo("other");
  }

  @Test
  void an_expiry_within_the_leeway_is_tolerated() {
    String token = signed(lifetime(-900, -905, -20));

    assertThat(fixture.verifier.verify(bearer(token)).jobId()).isPositive();
  }

  @Test
  void revoking_accepts_a_token_older_than_the_maximum_age() {
    String token = signed(lifetime(-3600, -3605, 600));

    assertThat(fixture.verifier.verifyToRevoke(bearer(token)).jobId()).isPositive();
  }

  @Test
  void revoking_still_refuses_an_expired_token() {
    String token = signed(lifetime(-3600, -3605, -300));

    assertThatExceptionOfType(TokenRejected.class)
        .isThrownBy(() -> fixture.verifier.verifyToRevoke(bearer(token)))
        .satisfies(e -> assertThat(e.reason()).isEqualTo(Reason.EXPIRED));
  }

  @Test
  void a_token_that_could_never_pass_costs_no_key_lookup() {
    List<String> neverPassing =
        List.of(
            signed(Map.of("iss", "https://gitlab.evil.example")),
            signed(Map.of("aud", "some-other-service")),
            signed(lifetime(-600, -605, -300)),
            signed(lifetime(-3600, -3605, 600)));

    for (String token : neverPassing) {
      assertThatExceptionOfType(TokenRejected.class)
          .isThrownBy(() -> fixture.verifier.verify(bearer(token)));
    }

    assertThat(fixture.keyLookups).isZero();
  }

  @Test
  void keys_that_cannot_be_fetched_are_not_a_verdict_on_the_token() {
    // given an instance whose keys cannot be fetched
    TokenVerifier verifier =
        new TokenVerifier(
            TokenFixture.ISSUERS,
            TokenFixture.LIMITS,
            (instance, kid) -> {
              throw new SigningKeysUnavailable(instance, null);
            },
            Clock.fixed(NOW, ZoneOffset.UTC));

    // when a valid token of it is verified, then the answer is "try again", not a rejection
    assertThatExceptionOfType(SigningKeysUnavailable.class)
        .isThrownBy(() -> verifier.verify(bearer(signed(Map.of()))))
        .satisfies(e -> assertThat(e.instance()).isEqualTo("main"));
  }

  @Test
  void a_leeway_over_a_minute_is_refused() {
    TokenConfig lax =
        new TokenFixture.Limits(
            Duration.ofSeconds(61), Duration.ofMinutes(15), 16384, Duration.ofSeconds(30));

    assertThatIllegalStateException()
        .isThrownBy(
            () ->
                new TokenVerifier(
                    TokenFixture.ISSUERS, lax, (i, k) -> Optional.empty(), Clock.systemUTC()))
        .withMessageContaining("broker.token.leeway");
  }

  @Test
  void two_instances_with_one_issuer_are_refused() {
    List<TrustedIssuer> twins =
        List.of(
            new TrustedIssuer("a", "https://gitlab.example.com", List.of(AUDIENCE)),
            new TrustedIssuer("b", "https://gitlab.example.com", List.of(AUDIENCE)));

    assertThatIllegalStateException()
        .isThrownBy(
            () ->
                new TokenVerifier(
                    twins, TokenFixture.LIMITS, (i, k) -> Optional.empty(), Clock.systemUTC()))
        .withMessageContaining("share an issuer");
  }

  /** iat, nbf and exp as seconds from {@link TokenFixture#NOW}. */
  static Map<String, Object> lifetime(long iat, long nbf, long exp) {
    long now = NOW.getEpochSecond();
    return Map.of("iat", now + iat, "nbf", now + nbf, "exp", now + exp);
  }

  static Map<String, Object> without(String claim) {
    Map<String, Object> m = new HashMap<>();
    m.put(claim, null);
    return m;
  }

  /** main's claims signed with main's key under a header with one member changed or removed. */
  static String withHeader(String member, Object value) {
    Map<String, Object> h = header(member, value);
    h.values().removeIf(v -> v == null);
    return MAIN.sign(h, claims(Map.of()));
  }

  static Map<String, Object> header(String member, Object value) {
    Map<String, Object> h = new LinkedHashMap<>(MAIN.header());
    h.put(member, value);
    return h;
  }

  static String hs256WithPublicKey() throws Exception {
    String input = b64(json(header("alg", "HS256"))) + "." + b64(json(claims(Map.of())));
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(MAIN.publicKey().getEncoded(), "HmacSHA256"));
    byte[] sig = mac.doFinal(input.getBytes(StandardCharsets.US_ASCII));
    return input + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(sig);
  }

  static String tamperedPayload() {
    String[] parts = signed(Map.of()).split("\\.");
    String evil = b64(json(claims(Map.of("project_path", "demo/evil"))));
    return parts[0] + "." + evil + "." + parts[2];
  }

  static String tamperedSignature() {
    String token = signed(Map.of());
    char last = token.charAt(token.length() - 2);
    return token.substring(0, token.length() - 2)
        + (last == 'A' ? 'B' : 'A')
        + token.charAt(token.length() - 1);
  }

  static String b64(String s) {
    return GitLabIdTokens.b64(s);
  }

  static String json(Map<String, ?> m) {
    try {
      return new ObjectMapper().writeValueAsString(m);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
