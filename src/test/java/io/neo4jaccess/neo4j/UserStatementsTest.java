package io.neo4jaccess.neo4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.neo4j.driver.Query;

/**
 * The statements that create and remove a job user, without a server (Enterprise cannot run here).
 * Built-in roles apply to every database on the server, so on Enterprise a grant's roles become
 * privileges of a role of the lease's own, on the granted database only.
 */
class UserStatementsTest {

  static final UserStatements ENTERPRISE = new UserStatements(true);
  static final UserStatements COMMUNITY = new UserStatements(false);
  static final String USER = "ci_22_5001_0a1b2c3d";

  static List<String> texts(List<Query> queries) {
    return queries.stream().map(Query::text).toList();
  }

  @Test
  void enterprise_gives_a_publisher_the_publisher_privileges_on_the_granted_database_only() {
    List<Query> create =
        ENTERPRISE.create(USER, "pw-from-securerandom", "analytics", List.of("publisher"));

    assertThat(texts(create))
        .containsExactly(
            "CREATE USER $u SET PASSWORD $p CHANGE NOT REQUIRED SET HOME DATABASE `analytics`",
            "CREATE ROLE `ci_22_5001_0a1b2c3d`",
            "GRANT ACCESS ON DATABASE `analytics` TO `ci_22_5001_0a1b2c3d`",
            "GRANT MATCH {*} ON GRAPH `analytics` TO `ci_22_5001_0a1b2c3d`",
            "GRANT SHOW CONSTRAINT ON DATABASE `analytics` TO `ci_22_5001_0a1b2c3d`",
            "GRANT SHOW INDEX ON DATABASE `analytics` TO `ci_22_5001_0a1b2c3d`",
            "GRANT WRITE ON GRAPH `analytics` TO `ci_22_5001_0a1b2c3d`",
            "GRANT NAME MANAGEMENT ON DATABASE `analytics` TO `ci_22_5001_0a1b2c3d`",
            "GRANT ROLE `ci_22_5001_0a1b2c3d` TO $u");
  }

  @Test
  void enterprise_never_grants_a_built_in_role_or_a_privilege_on_every_database() {
    for (String role : UserStatements.SCOPED_ROLES) {
      assertThat(texts(ENTERPRISE.create(USER, "pw", "analytics", List.of(role))))
          .as(role)
          .noneMatch(s -> s.contains(" * ") || s.contains("DATABASES") || s.contains("DBMS"))
          .noneMatch(s -> s.matches("GRANT ROLE `?(reader|editor|publisher|architect|admin)`? .*"));
    }
  }

  @Test
  void enterprise_reader_may_only_read_and_architect_may_also_manage_the_schema() {
    assertThat(texts(ENTERPRISE.create(USER, "pw", "analytics", List.of("reader"))))
        .noneMatch(s -> s.contains("WRITE") || s.contains("MANAGEMENT"));
    assertThat(texts(ENTERPRISE.create(USER, "pw", "analytics", List.of("architect"))))
        .contains(
            "GRANT CONSTRAINT MANAGEMENT ON DATABASE `analytics` TO `ci_22_5001_0a1b2c3d`",
            "GRANT INDEX MANAGEMENT ON DATABASE `analytics` TO `ci_22_5001_0a1b2c3d`");
  }

  @Test
  void several_roles_give_the_union_of_their_privileges_once() {
    List<String> both =
        texts(ENTERPRISE.create(USER, "pw", "analytics", List.of("reader", "editor")));

    assertThat(both)
        .doesNotHaveDuplicates()
        .contains("GRANT WRITE ON GRAPH `analytics` TO `ci_22_5001_0a1b2c3d`");
  }

  @Test
  void the_user_and_password_are_parameters_never_spliced_in() {
    Query user = ENTERPRISE.create(USER, "pw-secret", "analytics", List.of("reader")).get(0);

    assertThat(user.text()).doesNotContain(USER).doesNotContain("pw-secret");
    assertThat(user.parameters().asMap()).isEqualTo(Map.of("u", USER, "p", "pw-secret"));
  }

  @Test
  void names_that_are_not_plain_identifiers_are_refused_before_any_statement() {
    assertThatThrownBy(() -> ENTERPRISE.create(USER, "pw", "ana`lytics", List.of("reader")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ENTERPRISE.create("x` TO admin //", "pw", "neo4j", List.of("reader")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ENTERPRISE.create(USER, "pw", "neo4j", List.of("admin")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void community_creates_a_plain_user_in_one_statement() {
    assertThat(texts(COMMUNITY.create(USER, "pw", "neo4j", List.of())))
        .containsExactly("CREATE USER $u SET PASSWORD $p CHANGE NOT REQUIRED");
  }

  @Test
  void enterprise_suspends_first_then_drops_the_user_with_its_role() {
    assertThat(texts(ENTERPRISE.cutOff(USER)))
        .containsExactly("ALTER USER $u IF EXISTS SET STATUS SUSPENDED");
    assertThat(texts(ENTERPRISE.remove(USER)))
        .containsExactly("DROP USER $u IF EXISTS", "DROP ROLE `ci_22_5001_0a1b2c3d` IF EXISTS");
  }

  @Test
  void community_cannot_suspend_so_it_drops_first_and_has_nothing_left_to_remove() {
    // 'SET STATUS' is not available in community edition; transactions and connections are ended
    // after the drop, see the webhook test that cuts an open session.
    assertThat(texts(COMMUNITY.cutOff(USER))).containsExactly("DROP USER $u IF EXISTS");
    assertThat(COMMUNITY.remove(USER)).isEmpty();
  }
}
