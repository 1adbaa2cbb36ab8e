package io.neo4jaccess.policy;

import static io.neo4jaccess.policy.PolicyEvaluatorTest.claims;
import static io.neo4jaccess.policy.PolicyEvaluatorTest.with;
import static org.assertj.core.api.Assertions.assertThat;

import io.neo4jaccess.gitlab.Fact;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A policy evaluated on recorded evidence: what was observed decides; what was not, is unknown. */
class ReplayTest {

  static Policy policy(String rules) {
    return new PolicyLoader(
            t -> Optional.ofNullable(PolicyEvaluatorTest.TARGETS.get(t)), Set.of("main"))
        .parse("rules:\n" + rules);
  }

  static final String PROTECTED_ENVIRONMENT =
      """
        - name: protected-production
          when: {project_path: "platform/*", environment_protected: true}
          grant: {target: staging, access: full, ttl: 10m}
      """;

  static final String ANY_PUSH =
      """
        - name: any-push
          when: {project_path: "platform/*", pipeline_source: push}
          grant: {target: staging, access: full, ttl: 5m}
      """;

  @Test
  void an_outcome_that_hinges_on_a_fact_not_recorded_is_undetermined() {
    // given a decision that recorded only ref_protected
    Evidence evidence =
        new Evidence(claims(with()), Map.of("ref_protected", Fact.of(true, Fact.Source.GITLAB)));

    // when a policy needing environment_protected is replayed on it
    Replay.Outcome outcome = Replay.evaluate(policy(PROTECTED_ENVIRONMENT), evidence);

    // then the outcome is not guessed
    assertThat(outcome.undetermined()).isTrue();
    assertThat(outcome.missing()).containsExactly("environment_protected");
  }

  @Test
  void a_fact_not_recorded_on_a_rule_that_fails_anyway_leaves_the_outcome_determined() {
    // given a merge request job (no environment fact recorded), so the rule's pipeline check fails
    Evidence evidence = new Evidence(claims(with("pipeline_source", "web")), Map.of());
    String rules =
        """
          - name: pushes-to-protected-production
            when: {project_path: "platform/*", pipeline_source: push, environment_protected: true}
            grant: {target: staging, access: full, ttl: 10m}
        """;

    // when it is replayed
    Replay.Outcome outcome = Replay.evaluate(policy(rules), evidence);

    // then it is a denial, known without the fact
    assertThat(outcome.undetermined()).isFalse();
    assertThat(outcome.decision().allowed()).isFalse();
  }

  @Test
  void an_earlier_rule_that_matches_makes_a_later_missing_fact_irrelevant() {
    Evidence evidence = new Evidence(claims(with()), Map.of());

    Replay.Outcome outcome = Replay.evaluate(policy(ANY_PUSH + PROTECTED_ENVIRONMENT), evidence);

    assertThat(outcome.undetermined()).isFalse();
    assertThat(outcome.decision().rule()).isEqualTo("any-push");
  }

  @Test
  void a_fact_gitlab_could_not_give_then_fails_closed_again() {
    // given a decision made while GitLab could not say whether the environment was protected
    Evidence evidence =
        new Evidence(claims(with()), Map.of("environment_protected", Fact.unavailable("timeout")));

    // when a policy needing that fact is replayed
    Replay.Outcome outcome = Replay.evaluate(policy(PROTECTED_ENVIRONMENT), evidence);

    // then it is denied as it would have been then, not undetermined
    assertThat(outcome.undetermined()).isFalse();
    assertThat(outcome.decision().allowed()).isFalse();
  }
}
