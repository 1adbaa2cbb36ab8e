package io.neo4jaccess.gateway.cypher;

import static org.assertj.core.api.Assertions.assertThat;

import io.neo4jaccess.testing.SharedNeo4j;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import org.neo4j.driver.Record;
import org.neo4j.driver.Session;
import org.neo4j.driver.SessionConfig;

/**
 * The classifier's knowledge, checked against the real Neo4j 5.26 server it stands in front of: the
 * allowed table is Cypher that server plans, the server reads unicode escapes as the classifier
 * does, and the built-in functions and default procedures are what that server ships.
 */
class StatementClassifierAgainstNeo4jTest {

  private final StatementClassifier classifier = new StatementClassifier(100);

  @ParameterizedTest(name = "{0}")
  @FieldSource("io.neo4jaccess.gateway.cypher.AllowedStatements#ALL")
  void each_allowed_statement_is_cypher_that_neo4j_plans(AllowedStatements.Case allowed) {
    // given
    String explained =
        allowed.query().toUpperCase(Locale.ROOT).startsWith("EXPLAIN")
            ? allowed.query()
            : "EXPLAIN " + allowed.query();

    // when
    try (Session session = session()) {
      var plan = session.run(explained, allowed.parameters()).consume().plan();

      // then
      assertThat(plan).isNotNull();
    }
  }

  @Test
  void a_quote_written_as_a_unicode_escape_ends_the_string_on_the_server_and_in_the_classifier() {
    // given: one string literal to a parser that reads the raw text
    String query =
        "WITH '\\u0027 AS a CALL dbms.listConfig() YIELD name RETURN name //' AS a RETURN a";

    // when
    List<Record> served;
    try (Session session = session()) {
      served = session.run(query).list();
    }
    Verdict verdict = classifier.classify(query, Grants.WRITE);

    // then: the server ran the procedure, and the classifier saw it
    assertThat(served).isNotEmpty();
    assertThat(served.get(0).keys()).containsExactly("name");
    assertThat(verdict)
        .isEqualTo(
            new Verdict.Refused(
                Refusal.PROCEDURE_NOT_ALLOWED,
                "Procedure dbms.listConfig is not on this grant's allowlist."));
  }

  @Test
  void the_namespaced_built_in_functions_are_those_neo4j_lists() {
    // when
    Set<String> listed = new HashSet<>();
    try (Session session = session()) {
      session
          .run("SHOW FUNCTIONS YIELD name, isBuiltIn WHERE isBuiltIn AND name CONTAINS '.'")
          .forEachRemaining(r -> listed.add(r.get("name").asString().toLowerCase(Locale.ROOT)));
    }

    // then: only db.nameFromElementId comes from a later release
    Set<String> known = new HashSet<>(BuiltInFunctions.NAMESPACED);
    known.remove("db.namefromelementid");
    assertThat(known).isEqualTo(listed);
  }

  @Test
  void each_procedure_the_default_allowlist_names_exists_and_only_reads() {
    // when
    List<Map<String, Object>> procedures;
    try (Session session = session()) {
      procedures = session.run("SHOW PROCEDURES YIELD name, mode, admin").list(Record::asMap);
    }

    // then
    for (String entry : Rules.DEFAULT_PROCEDURE_ALLOWLIST) {
      Rules onlyThis = new Rules(Grants.DATABASE, Rules.Access.WRITE, false, false, Set.of(entry));
      List<Map<String, Object>> named =
          procedures.stream().filter(p -> onlyThis.allows((String) p.get("name"))).toList();
      assertThat(named).as(entry).isNotEmpty();
      assertThat(named)
          .as(entry)
          .allSatisfy(
              p -> {
                assertThat(p.get("mode")).isIn("READ", "DBMS");
                assertThat(p.get("admin")).isEqualTo(false);
              });
    }
  }

  private static Session session() {
    return SharedNeo4j.admin().session(SessionConfig.forDatabase(Grants.DATABASE));
  }
}
