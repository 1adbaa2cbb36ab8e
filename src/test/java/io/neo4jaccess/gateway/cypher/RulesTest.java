package io.neo4jaccess.gateway.cypher;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.neo4jaccess.gateway.cypher.Rules.Access;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A grant's rules are checked when they are made, not when a job first calls something. */
class RulesTest {

  @ParameterizedTest(name = "''{0}''")
  @ValueSource(strings = {"*", ".*", "apoc.*.text", "db..labels", "db.labels ", "", "apoc.text.**"})
  void an_allowlist_entry_that_is_not_a_dotted_name_is_refused(String entry) {
    assertThatThrownBy(() -> new Rules("neo4j", Access.WRITE, false, false, Set.of(entry)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest(name = "''{0}''")
  @ValueSource(strings = {"db.labels", "apoc.text.*", "my_plugin.v2.load"})
  void a_dotted_name_or_namespace_is_accepted(String entry) {
    assertThatCode(() -> new Rules("neo4j", Access.WRITE, false, false, Set.of(entry)))
        .doesNotThrowAnyException();
  }

  @ParameterizedTest(name = "''{0}''")
  @ValueSource(strings = {"", " "})
  void a_grant_without_a_database_is_refused(String database) {
    assertThatThrownBy(
            () -> new Rules(database, Access.READ, false, false, Rules.DEFAULT_PROCEDURE_ALLOWLIST))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
