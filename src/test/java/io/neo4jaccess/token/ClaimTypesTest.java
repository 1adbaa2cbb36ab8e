package io.neo4jaccess.token;

import static io.neo4jaccess.token.TokenFixture.AUDIENCE;
import static io.neo4jaccess.token.TokenFixture.bearer;
import static io.neo4jaccess.token.TokenFixture.signed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import io.neo4jaccess.token.TokenRejected.Reason;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every claim must have the JSON type GitLab sends it as, and every number must be in range: a
 * token GitLab's key really signed, but shaped as GitLab never shapes one, is malformed — never
 * accepted by a lenient reading, never an overflow deeper in.
 */
class ClaimTypesTest {

  private final TokenFixture fixture = new TokenFixture();

  /** A claim set to a value, and the outcome: a reason, or null for "accepted". */
  record Case(String claim, String label, Object value, Reason expected) {
    @Override
    public String toString() {
      return claim + "=" + label + " -> " + (expected == null ? "accepted" : expected);
    }
  }

  static final Instant YEAR_2000 = Instant.parse("2000-01-01T00:00:00Z");
  static final Instant LAST_SECOND_OF_9999 = Instant.parse("9999-12-31T23:59:59Z");

  /** Values no NumericDate of GitLab's can be, and no runner id either (but the first). */
  static Map<String, Object> hostileNumbers() {
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("Long.MAX_VALUE", Long.MAX_VALUE);
    v.put("Long.MIN_VALUE", Long.MIN_VALUE);
    v.put("-1", -1);
    v.put("1e300", 1e300);
    v.put("1.5", 1.5);
    v.put("string_1", "1");
    v.put("30_digits", new BigInteger("9".repeat(30)));
    v.put("2000_digits", new BigInteger("9".repeat(2000)));
    v.put("nested_object", Map.of("n", 1));
    v.put("array", List.of(1));
    v.put("boolean", true);
    v.put("empty_string", "");
    return v;
  }

  static Stream<Case> numericClaims() {
    List<Case> cases = new ArrayList<>();
    for (String claim : List.of("exp", "iat", "nbf", "runner_id")) {
      hostileNumbers()
          .forEach(
              (label, value) -> {
                boolean validRunnerId = claim.equals("runner_id") && value.equals(Long.MAX_VALUE);
                cases.add(new Case(claim, label, value, validRunnerId ? null : Reason.MALFORMED));
              });
    }
    long first = YEAR_2000.getEpochSecond();
    long last = LAST_SECOND_OF_9999.getEpochSecond();
    cases.add(new Case("exp", "1999-12-31T23:59:59Z", first - 1, Reason.MALFORMED));
    cases.add(new Case("exp", "2000-01-01T00:00:00Z", first, Reason.EXPIRED));
    cases.add(new Case("exp", "9999-12-31T23:59:59Z", last, null));
    cases.add(new Case("exp", "10000-01-01T00:00:00Z", last + 1, Reason.MALFORMED));
    cases.add(new Case("iat", "9999-12-31T23:59:59Z", last, Reason.NOT_YET_VALID));
    cases.add(new Case("iat", "10000-01-01T00:00:00Z", last + 1, Reason.MALFORMED));
    cases.add(new Case("nbf", "2000-01-01T00:00:00Z", first, null));
    cases.add(new Case("nbf", "9999-12-31T23:59:59Z", last, Reason.NOT_YET_VALID));
    cases.add(new Case("runner_id", "0", 0, null));
    return cases.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("numericClaims")
  void a_numeric_claim_out_of_range_or_of_another_type_is_malformed(Case c) {
    assertOutcome(c);
  }

  /** GitLab sends these as strings; the same value as a JSON number is not GitLab's. */
  static final List<String> STRING_CLAIMS =
      List.of(
          "iss",
          "jti",
          "sub",
          "namespace_path",
          "project_path",
          "job_namespace_path",
          "job_project_path",
          "user_login",
          "user_email",
          "user_access_level",
          "pipeline_source",
          "ref",
          "ref_type",
          "ref_path",
          "environment",
          "deployment_tier",
          "environment_action",
          "runner_environment",
          "sha",
          "ci_config_ref_uri",
          "ci_config_sha",
          "project_visibility");

  /** GitLab sends ids as decimal strings, e.g. {@code "project_id": "22"}. */
  static final List<String> ID_CLAIMS =
      List.of(
          "namespace_id",
          "project_id",
          "job_namespace_id",
          "job_project_id",
          "user_id",
          "pipeline_id",
          "job_id");

  static Stream<Case> wronglyTypedClaims() {
    List<Case> cases = new ArrayList<>();
    STRING_CLAIMS.forEach(c -> cases.add(new Case(c, "number", 22, Reason.MALFORMED)));
    for (String id : ID_CLAIMS) {
      cases.add(new Case(id, "number", 22, Reason.MALFORMED));
      cases.add(new Case(id, "negative", "-22", Reason.MALFORMED));
      cases.add(new Case(id, "hex", "0x16", Reason.MALFORMED));
      cases.add(new Case(id, "19_digits", "9".repeat(19), Reason.MALFORMED));
    }
    for (String bool : List.of("ref_protected", "environment_protected")) {
      cases.add(new Case(bool, "json_true", true, Reason.MALFORMED));
      cases.add(new Case(bool, "yes", "yes", Reason.MALFORMED));
      cases.add(new Case(bool, "TRUE", "TRUE", Reason.MALFORMED));
      cases.add(new Case(bool, "number", 1, Reason.MALFORMED));
    }
    cases.add(new Case("groups_direct", "one_string", "demo", Reason.MALFORMED));
    cases.add(new Case("groups_direct", "numbers", List.of(1), Reason.MALFORMED));
    cases.add(new Case("groups_direct", "nested_list", List.of(List.of("demo")), Reason.MALFORMED));
    cases.add(new Case("groups_direct", "paths", List.of("demo", "platform/ops"), null));
    cases.add(new Case("aud", "number", 5, Reason.MALFORMED));
    cases.add(new Case("aud", "object", Map.of("aud", AUDIENCE), Reason.MALFORMED));
    cases.add(new Case("aud", "list_with_a_number", List.of(AUDIENCE, 5), Reason.MALFORMED));
    return cases.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("wronglyTypedClaims")
  void a_claim_of_another_type_than_gitlab_sends_is_malformed(Case c) {
    assertOutcome(c);
  }

  /** Signs main's claims with {@code c}'s claim set to its value, and checks the outcome. */
  private void assertOutcome(Case c) {
    // given a token GitLab's key signed, with one claim shaped by the case
    Map<String, Object> overrides = new HashMap<>();
    overrides.put(c.claim(), c.value());
    String token = signed(overrides);

    // when it is verified, then it is rejected for the expected reason or accepted
    if (c.expected() == null) {
      assertThatCode(() -> fixture.verifier.verify(bearer(token))).doesNotThrowAnyException();
    } else {
      assertThatExceptionOfType(TokenRejected.class)
          .isThrownBy(() -> fixture.verifier.verify(bearer(token)))
          .satisfies(e -> assertThat(e.reason()).isEqualTo(c.expected()));
    }
  }
}
