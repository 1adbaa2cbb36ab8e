package io.neo4jaccess.gateway.cypher;

/**
 * Replaces Cypher's {@code \}{@code uXXXX} escapes the way Neo4j 5.26 does before it lexes a query:
 * everywhere in the text, inside string literals, names and comments alike, unless the backslash is
 * itself escaped. The server therefore reads {@code '\}{@code u0027'} as a quote that ends a
 * string: {@code WITH '\}{@code u0027 AS a CALL dbms.listConfig() ... //' AS a RETURN a} runs the
 * procedure on the server while a parser fed the raw text sees one string literal. Classifying the
 * replaced text makes the classifier read what the server reads.
 *
 * <p>Mirrors {@code UnicodeEscapeReplacementReader} of Neo4j's Cypher front end, including its use
 * of {@link Integer#parseInt(String, int)} on the four characters after {@code \}{@code u}.
 */
final class UnicodeEscapes {

  private static final String ESCAPE_START = "\\u";
  private static final int ESCAPE_LENGTH = 6;

  private UnicodeEscapes() {}

  /**
   * The query with every escape replaced by its character.
   *
   * @throws IllegalArgumentException when an escape is not followed by four hexadecimal digits,
   *     which the server refuses too
   */
  static String replace(String query) {
    if (!query.contains(ESCAPE_START)) {
      return query;
    }
    StringBuilder replaced = new StringBuilder(query.length());
    boolean escaped = false;
    int at = 0;
    while (at < query.length()) {
      char c = query.charAt(at);
      boolean replacement = !escaped && query.startsWith(ESCAPE_START, at);
      if (replacement) {
        c = escapedCharacter(query, at + ESCAPE_START.length());
      }
      // A backslash escapes the next character only when it was written as one, not as an escape.
      escaped = !escaped && !replacement && c == '\\';
      replaced.append(c);
      at += replacement ? ESCAPE_LENGTH : 1;
    }
    return replaced.toString();
  }

  private static char escapedCharacter(String query, int from) {
    String hex =
        query.substring(
            Math.min(from, query.length()),
            Math.min(from + ESCAPE_LENGTH - ESCAPE_START.length(), query.length()));
    try {
      return (char) Integer.parseInt(hex, 16);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("a unicode escape needs four hexadecimal digits", e);
    }
  }
}
