package io.neo4jaccess.neo4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.neo4jaccess.testing.SharedNeo4j;
import io.neo4jaccess.testing.StateProbe;
import io.neo4jaccess.testing.TestLeases;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.neo4j.driver.Driver;
import org.neo4j.driver.Session;
import org.neo4j.driver.SessionConfig;
import org.neo4j.driver.exceptions.Neo4jException;

/** Cutting users off on a real server: only the broker's own, each user's failure its own. */
class Neo4jTargetRevocationTest {

  @Test
  void a_user_without_the_targets_prefix_is_never_dropped_even_when_asked_directly() {
    // Given a human account on the target's server
    String human = "alice_human_" + System.nanoTime();
    createUser(human);
    try (Neo4jTarget target = target("ci_", "neo4j", SharedNeo4j.ADMIN_PASSWORD)) {

      // When the target is asked to cut it off
      Map<String, RuntimeException> failed = target.revokeUsers(List.of(human));

      // Then it refuses, for that user, and the account still logs in
      assertThat(failed).containsOnlyKeys(human);
      assertThat(failed.get(human)).isInstanceOf(NotBrokerUser.class);
      assertThat(StateProbe.logsIn(human, TestLeases.PASSWORD)).isTrue();
    } finally {
      dropUser(human);
    }
  }

  @Test
  void a_pooled_login_is_never_listed_nor_dropped_even_under_a_prefix_it_starts_with() {
    // Given a pooled login, and a target whose user prefix the login's name starts with
    String pooled = Neo4jTarget.POOLED_LOGIN_PREFIX + "test_" + System.nanoTime();
    try (Neo4jTarget target = target("neo4j_", "neo4j", SharedNeo4j.ADMIN_PASSWORD)) {
      target.keepPooledLogin(pooled, TestLeases.PASSWORD);

      // When the orphan check lists the target's users, and a revocation names the login
      List<String> listed = target.brokerUsers();
      Map<String, RuntimeException> failed = target.revokeUsers(List.of(pooled));

      // Then the login is in neither: it is refused, and still logs in
      assertThat(listed).doesNotContain(pooled);
      assertThat(failed.get(pooled)).isInstanceOf(NotBrokerUser.class);
      assertThat(StateProbe.logsIn(pooled, TestLeases.PASSWORD)).isTrue();
    } finally {
      dropUser(pooled);
    }
  }

  @Test
  void the_broker_users_of_a_batch_are_cut_off_and_the_others_in_it_refused() {
    // Given a human account and a user with the target's prefix
    String human = "bob_human_" + System.nanoTime();
    String job = "ci_guard_" + System.nanoTime();
    createUser(human);
    createUser(job);
    try (Neo4jTarget target = target("ci_", "neo4j", SharedNeo4j.ADMIN_PASSWORD)) {

      // When both are revoked in one batch
      Map<String, RuntimeException> failed = target.revokeUsers(List.of(human, job));

      // Then only the prefixed user is gone
      assertThat(failed).containsOnlyKeys(human);
      assertThat(TestLeases.userExists(job)).isFalse();
      assertThat(StateProbe.logsIn(human, TestLeases.PASSWORD)).isTrue();
    } finally {
      dropUser(human);
    }
  }

  @Test
  void a_user_whose_drop_neo4j_refuses_fails_alone_and_the_rest_of_its_batch_is_cut_off() {
    // Given a target administered by a user that carries the target's prefix, so that Neo4j
    // refuses to drop it (no session drops its own user) and the batch's single transaction fails
    // as a whole; and two users of the target, one of them logged in
    String tag = Long.toString(System.nanoTime());
    String admin = "sf_admin_" + tag;
    createUser(admin);
    List<String> users = List.of("sf_a_" + tag, "sf_b_" + tag);
    users.forEach(Neo4jTargetRevocationTest::createUser);
    try (Neo4jTarget target = target("sf_", admin, TestLeases.PASSWORD);
        Driver d = StateProbe.loginAs(users.get(0), TestLeases.PASSWORD)) {
      Session open = d.session();
      open.run("RETURN 1").consume();

      // When the batch is revoked
      Map<String, RuntimeException> failed =
          target.revokeUsers(List.of(users.get(0), admin, users.get(1)));

      // Then only the refused user is reported and kept; the others are gone, sessions and all
      assertThat(failed).containsOnlyKeys(admin);
      assertThat(TestLeases.userExists(admin)).isTrue();
      assertThat(users).noneMatch(TestLeases::userExists);
      assertThatThrownBy(() -> open.run("RETURN 1").consume()).isInstanceOf(Neo4jException.class);
    } finally {
      dropUser(admin);
    }
  }

  private static Neo4jTarget target(String prefix, String adminUser, String password) {
    Map<String, String> properties =
        TargetConfigs.target("guarded", SharedNeo4j.boltUri(), password, prefix);
    properties.put("broker.neo4j.targets.guarded.admin-user", adminUser);
    Neo4jTarget target =
        new Neo4jTarget("guarded", TargetConfigs.of(properties).targets().get("guarded"), password);
    target.detectEdition();
    return target;
  }

  private static void createUser(String user) {
    systemAsAdmin(
        "CREATE USER $u SET PASSWORD $p CHANGE NOT REQUIRED",
        Map.of("u", user, "p", TestLeases.PASSWORD));
  }

  private static void dropUser(String user) {
    systemAsAdmin("DROP USER $u IF EXISTS", Map.of("u", user));
  }

  private static void systemAsAdmin(String statement, Map<String, Object> parameters) {
    try (Session s = SharedNeo4j.admin().session(SessionConfig.forDatabase("system"))) {
      s.run(statement, parameters).consume();
    }
  }
}
