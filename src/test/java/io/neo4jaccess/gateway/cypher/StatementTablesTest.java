package io.neo4jaccess.gateway.cypher;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/** The hostile and allowed statement tables, through the classifier alone. */
class StatementTablesTest {

  private final StatementClassifier classifier = new StatementClassifier(1_000);

  @ParameterizedTest(name = "{0}")
  @FieldSource("io.neo4jaccess.gateway.cypher.HostileStatements#ALL")
  void each_hostile_statement_is_refused_by_its_rule(HostileStatements.Case hostile) {
    // when
    Verdict verdict = classifier.classify(hostile.query(), hostile.rules(), hostile.parameters());

    // then
    assertThat(verdict).isInstanceOf(Verdict.Refused.class);
    assertThat(((Verdict.Refused) verdict).rule()).isEqualTo(hostile.rule());
  }

  @ParameterizedTest(name = "{0}")
  @FieldSource("io.neo4jaccess.gateway.cypher.AllowedStatements#ALL")
  void each_allowed_statement_passes(AllowedStatements.Case allowed) {
    // when
    Verdict verdict = classifier.classify(allowed.query(), allowed.rules(), allowed.parameters());

    // then
    assertThat(verdict).isEqualTo(Verdict.ALLOWED);
  }

  @Test
  void the_tables_are_as_large_as_promised_and_their_names_unique() {
    List<String> hostile =
        HostileStatements.ALL.stream().map(HostileStatements.Case::name).toList();
    List<String> allowed =
        AllowedStatements.ALL.stream().map(AllowedStatements.Case::name).toList();

    assertThat(hostile).hasSizeGreaterThanOrEqualTo(40).doesNotHaveDuplicates();
    assertThat(allowed).hasSizeGreaterThanOrEqualTo(20).doesNotHaveDuplicates();
  }
}
