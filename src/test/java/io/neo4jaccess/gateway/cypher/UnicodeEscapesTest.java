package io.neo4jaccess.gateway.cypher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Escapes are replaced exactly where Neo4j 5.26 replaces them (checked against it by hand). */
class UnicodeEscapesTest {

  @Test
  void an_escape_is_replaced_anywhere_in_the_text() {
    assertThat(UnicodeEscapes.replace("RETURN '\\u0027' AS \\u0061")).isEqualTo("RETURN ''' AS a");
  }

  @Test
  void an_escape_after_an_escaped_backslash_stays_as_written() {
    assertThat(UnicodeEscapes.replace("'\\\\u0027'")).isEqualTo("'\\\\u0027'");
  }

  @Test
  void a_backslash_written_as_an_escape_does_not_escape_the_next_escape() {
    assertThat(UnicodeEscapes.replace("\\u005C\\u0041")).isEqualTo("\\A");
  }

  @Test
  void a_sign_among_the_hexadecimal_digits_is_read_as_neo4j_reads_it() {
    assertThat(UnicodeEscapes.replace("\\u+061")).isEqualTo("a");
  }

  @Test
  void an_escape_without_four_hexadecimal_digits_is_refused() {
    assertThatThrownBy(() -> UnicodeEscapes.replace("RETURN '\\uZZZZ'"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void text_without_escapes_is_returned_as_it_is() {
    String query = "MATCH (n) RETURN n";

    assertThat(UnicodeEscapes.replace(query)).isSameAs(query);
  }
}
