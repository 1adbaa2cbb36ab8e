package io.neo4jaccess.policy;

import static io.neo4jaccess.policy.PolicyEvaluatorTest.claims;
import static io.neo4jaccess.policy.PolicyEvaluatorTest.with;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.neo4jaccess.gitlab.Fact;
import io.neo4jaccess.token.GitLabClaims;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A decision's evidence survives the state store: what a condition reads, and nothing secret. */
class EvidenceJsonTest {

  @Test
  void every_claim_a_condition_reads_survives_the_round_trip() {
    // given a fork's merge request job with an environment, and facts read and not read
    GitLabClaims claims =
        claims(
            with(
                "pipeline_source", "merge_request_event",
                "project_path", "someone/api",
                "project_id", "901",
                "environment_action", "prepare",
                "runner_environment", "self-hosted",
                "ci_config_ref_uri",
                    "gitlab.example.com/platform/api//.gitlab-ci.yml@refs/heads/main",
                "project_visibility", "internal"));
    Evidence evidence =
        new Evidence(
            claims,
            Map.of(
                "ref_protected", Fact.of(true, Fact.Source.GITLAB),
                "deployers", Fact.of(40, Fact.Source.CACHE),
                "environment_tier", Fact.unavailable("timeout")));

    // when it is written and read back
    Evidence back = EvidenceJson.read(EvidenceJson.write(evidence));

    // then every condition observes the same value on it
    for (String condition : Condition.KNOWN.keySet()) {
      assertThat(observe(back, condition)).as(condition).isEqualTo(observe(evidence, condition));
    }
    assertThat(back.claims().job()).isEqualTo(claims.job());
    assertThat(back.facts().get("environment_tier").unavailable()).isEqualTo("timeout");
  }

  private static Object observe(Evidence e, String condition) {
    Observation o = new JobObserver(e.claims(), new RecordedFacts(e.facts())).observe(condition);
    return o.value() + " | " + o.shown() + " | " + o.verdict();
  }

  @Test
  void the_record_holds_no_token_identifier_audience_times_or_e_mail() {
    GitLabClaims claims = claims(with("user_email", "alice@example.com"));

    String json = EvidenceJson.write(new Evidence(claims, Map.of()));

    assertThat(json)
        .doesNotContain(claims.jti())
        .doesNotContain("alice@example.com")
        .doesNotContain("\"aud\"")
        .doesNotContain("\"iat\"")
        .doesNotContain("\"exp\"")
        .doesNotContain(claims.issuer());
  }

  @Test
  void a_document_it_did_not_write_is_refused() {
    assertThatThrownBy(() -> EvidenceJson.read("{\"gitlab\": {}}"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> EvidenceJson.read("not json"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
