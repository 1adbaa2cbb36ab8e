package io.neo4jaccess.gateway.cypher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.neo4jaccess.gateway.cypher.Rules.Access;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The classifier's cache, per-execution checks, allowlists and reasons. */
class StatementClassifierTest {

  private static final String MERGE_ROWS = "UNWIND $rows AS r MERGE (:Person {id: r.id})";
  private static final String LOAD_FROM_PARAMETER = "LOAD CSV FROM $url AS line RETURN line";

  private final StatementClassifier classifier = new StatementClassifier(100);

  @Test
  void a_repeated_query_is_not_parsed_again() {
    // given
    classifier.classify(MERGE_ROWS, Grants.WRITE);

    // when
    for (int i = 0; i < 9; i++) {
      classifier.classify(MERGE_ROWS, Grants.WRITE);
    }

    // then
    assertThat(classifier.cacheStats()).isEqualTo(new CacheStats(9, 1, 1));
    assertThat(classifier.cacheStats().hitRate()).isEqualTo(0.9);
  }

  @Test
  void a_cached_query_is_judged_against_each_grant() {
    // given
    classifier.classify(MERGE_ROWS, Grants.WRITE);

    // when
    Verdict onReadGrant = classifier.classify(MERGE_ROWS, Grants.READ);

    // then
    assertThat(onReadGrant)
        .isEqualTo(
            new Verdict.Refused(
                Refusal.WRITE_ON_READ_GRANT, "MERGE writes, and this grant only reads."));
    assertThat(classifier.cacheStats().parses()).isEqualTo(1);
  }

  @Test
  void a_url_parameter_is_checked_at_each_execution() {
    // given
    Rules remoteCsv = Grants.WRITE_WITH_REMOTE_CSV;
    classifier.classify(LOAD_FROM_PARAMETER, remoteCsv, Map.of("url", "https://example.com/a.csv"));

    // when
    Verdict fileUrl =
        classifier.classify(LOAD_FROM_PARAMETER, remoteCsv, Map.of("url", "file:///etc/passwd"));

    // then
    assertThat(fileUrl)
        .isEqualTo(
            new Verdict.Refused(
                Refusal.LOAD_CSV_FILE_URL,
                "LOAD CSV from a file: URL would read the database server's own files."));
    assertThat(classifier.cacheStats().parses()).isEqualTo(1);
  }

  @Test
  void the_cache_holds_no_more_queries_than_its_capacity() {
    // given
    StatementClassifier small = new StatementClassifier(3);

    // when
    for (int i = 0; i < 10; i++) {
      small.classify("RETURN " + i + " AS n", Grants.WRITE);
    }

    // then
    assertThat(small.cacheStats().size()).isEqualTo(3);
  }

  @Test
  void a_query_longer_than_the_cache_limit_is_classified_without_being_cached() {
    // given
    String longQuery =
        "RETURN '" + "x".repeat(StatementClassifier.LONGEST_CACHED_QUERY) + "' AS long";

    // when
    Verdict first = classifier.classify(longQuery, Grants.WRITE);
    Verdict second = classifier.classify(longQuery, Grants.WRITE);

    // then
    assertThat(first).isEqualTo(Verdict.ALLOWED);
    assertThat(second).isEqualTo(Verdict.ALLOWED);
    assertThat(classifier.cacheStats()).isEqualTo(new CacheStats(0, 2, 0));
  }

  @Test
  void a_cache_without_room_is_refused() {
    assertThatThrownBy(() -> new StatementClassifier(0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void a_plugin_procedure_on_the_allowlist_passes() {
    // given
    Rules withApocHelp = allowing("apoc.help");

    // when
    Verdict verdict = classifier.classify("CALL apoc.help('text')", withApocHelp);

    // then
    assertThat(verdict).isEqualTo(Verdict.ALLOWED);
  }

  @Test
  void a_plugin_function_on_the_allowlist_passes() {
    // given
    Rules withJoin = allowing("apoc.text.join");

    // when
    Verdict verdict = classifier.classify("RETURN apoc.text.join(['a'], ',') AS s", withJoin);

    // then
    assertThat(verdict).isEqualTo(Verdict.ALLOWED);
  }

  @Test
  void a_namespace_entry_allows_the_procedures_below_it_only() {
    // given
    Rules withApocText = allowing("apoc.text.*");

    // when
    Verdict below = classifier.classify("CALL apoc.text.phonetic('a')", withApocText);
    Verdict beside = classifier.classify("CALL apoc.textual.x()", withApocText);
    Verdict itself = classifier.classify("CALL apoc.text()", withApocText);

    // then
    assertThat(below).isEqualTo(Verdict.ALLOWED);
    assertThat(beside).extracting(Verdict::allowed).isEqualTo(false);
    assertThat(itself).extracting(Verdict::allowed).isEqualTo(false);
  }

  @Test
  void procedure_names_are_compared_with_their_case() {
    // when
    Verdict verdict = classifier.classify("CALL DB.LABELS()", Grants.WRITE);

    // then
    assertThat(verdict)
        .isEqualTo(
            new Verdict.Refused(
                Refusal.PROCEDURE_NOT_ALLOWED,
                "Procedure DB.LABELS is not on this grant's allowlist."));
  }

  @Test
  void a_reason_names_the_procedure_but_never_its_arguments() {
    // when
    Verdict verdict =
        classifier.classify(
            "CALL apoc.cypher.runSchema('CREATE USER x SET PASSWORD \\'secret-password\\'', {})",
            Grants.WRITE);

    // then
    assertThat(verdict)
        .isEqualTo(
            new Verdict.Refused(
                Refusal.PROCEDURE_NOT_ALLOWED,
                "Procedure apoc.cypher.runSchema is not on this grant's allowlist."));
  }

  @Test
  void a_reason_quotes_a_name_without_its_control_characters_and_bounded() {
    // given
    String name = "evil\nFORGED LINE\u001b[31m" + "x".repeat(200);

    // when
    Verdict verdict = classifier.classify("CALL `" + name + "`()", Grants.WRITE);

    // then
    String reason = ((Verdict.Refused) verdict).reason();
    assertThat(reason).doesNotContain("\n", "\u001b").contains("evil?FORGED LINE?[31m");
    assertThat(reason).hasSizeLessThan(150);
  }

  @Test
  void a_refused_use_names_both_databases() {
    // when
    Verdict verdict = classifier.classify("USE system RETURN 1 AS one", Grants.WRITE);

    // then
    assertThat(verdict)
        .isEqualTo(
            new Verdict.Refused(
                Refusal.USE_OTHER_DATABASE, "USE system leaves the granted database neo4j."));
  }

  @Test
  void an_administration_command_is_named_in_its_refusal() {
    // when
    Verdict verdict =
        classifier.classify("ALTER CURRENT USER SET PASSWORD FROM 'a' TO 'b'", Grants.WRITE);

    // then
    assertThat(verdict)
        .isEqualTo(
            new Verdict.Refused(
                Refusal.ADMINISTRATION,
                "ALTER CURRENT USER is an administration command, which no grant may run."));
  }

  @Test
  void a_statement_nested_too_deeply_to_parse_is_refused() {
    // given
    String nested = "RETURN " + "(".repeat(30_000) + "1" + ")".repeat(30_000) + " AS one";

    // when
    Verdict verdict = classifier.classify(nested, Grants.WRITE);

    // then
    assertThat(verdict)
        .isEqualTo(
            new Verdict.Refused(
                Refusal.UNPARSABLE,
                "The statement is not valid Cypher 5: it is nested too deeply to parse."));
  }

  private static Rules allowing(String entry) {
    return new Rules(Grants.DATABASE, Access.WRITE, false, false, Set.of(entry));
  }
}
