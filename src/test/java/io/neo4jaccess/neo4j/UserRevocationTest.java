package io.neo4jaccess.neo4j;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The revocation order, without a server: Enterprise suspends before it drops. */
class UserRevocationTest {

  @Test
  void enterprise_suspends_first_then_drops() {
    assertThat(UserRevocation.statements(true))
        .containsExactly("ALTER USER $u IF EXISTS SET STATUS SUSPENDED", "DROP USER $u IF EXISTS");
  }

  @Test
  void community_cannot_suspend_so_it_drops_first() {
    // 'SET STATUS' is not available in community edition; transactions and
    // connections are ended after the drop, see the webhook test that cuts an open session.
    assertThat(UserRevocation.statements(false)).containsExactly("DROP USER $u IF EXISTS");
  }

  @Test
  void statements_take_the_user_as_a_parameter_never_spliced_in() {
    assertThat(UserRevocation.statements(true)).allMatch(s -> s.contains("$u"));
  }
}
