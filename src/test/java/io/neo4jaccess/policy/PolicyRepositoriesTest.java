package io.neo4jaccess.policy;

import static io.neo4jaccess.policy.PolicyEvaluatorTest.claims;
import static io.neo4jaccess.policy.PolicyEvaluatorTest.with;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which jobs count as a policy repository's: its own, on its instance, never a fork's. Pure. */
class PolicyRepositoriesTest {

  static final PolicyRepositories REPOSITORIES =
      new PolicyRepositories(List.of("main:platform/access-policy"), Set.of("main", "partner"));

  static Object[] of(String project, String jobProject) {
    return new Object[] {"project_path", project, "job_project_path", jobProject};
  }

  @Test
  void a_job_of_the_repository_counts() {
    assertThat(
            REPOSITORIES.covers(
                claims(with(of("platform/access-policy", "platform/access-policy")))))
        .isTrue();
  }

  @Test
  void a_fork_of_the_repository_does_not_count() {
    assertThat(
            REPOSITORIES.covers(
                claims(with(of("someone/access-policy", "platform/access-policy")))))
        .isFalse();
  }

  @Test
  void the_same_path_on_another_instance_does_not_count() {
    assertThat(
            REPOSITORIES.covers(
                io.neo4jaccess.token.GitLabClaimsReader.read(
                    "partner",
                    new com.fasterxml.jackson.databind.ObjectMapper()
                        .valueToTree(
                            PolicyEvaluatorTest.claimsMap(
                                with(of("platform/access-policy", "platform/access-policy")))))))
        .isFalse();
  }

  @Test
  void an_entry_without_a_configured_instance_refuses_to_start() {
    assertThatThrownBy(
            () -> new PolicyRepositories(List.of("platform/access-policy"), Set.of("main")))
        .isInstanceOf(PolicyException.class)
        .hasMessageContaining("broker.policy.repositories: 'platform/access-policy' must be");
    assertThatThrownBy(
            () -> new PolicyRepositories(List.of("gitlab:platform/access-policy"), Set.of("main")))
        .isInstanceOf(PolicyException.class);
  }
}
