package io.neo4jaccess.gateway.cypher;

import java.util.ArrayList;
import java.util.List;
import org.neo4j.cypher.internal.parser.v5.Cypher5Parser;
import org.neo4j.cypher.internal.parser.v5.Cypher5Parser.NamespaceContext;
import org.neo4j.cypher.internal.parser.v5.Cypher5Parser.ParameterNameContext;
import org.neo4j.cypher.internal.parser.v5.Cypher5Parser.StringLiteralContext;
import org.neo4j.cypher.internal.parser.v5.Cypher5Parser.SymbolicAliasNameContext;
import org.neo4j.cypher.internal.parser.v5.Cypher5Parser.SymbolicNameStringContext;

/**
 * Names and string values as the server reads them from the parse tree: backticks removed, dotted
 * names joined, string escapes resolved. Also the safe display of a name in a reason.
 */
final class Names {

  private static final String BACKTICK = "`";
  private static final int LONGEST_DISPLAYED = 80;
  private static final String COMMAND_SUFFIX = "Command";

  private Names() {}

  /**
   * A procedure's or function's dotted name. Parts are joined with dots whatever their quoting, so
   * {@code `apoc.text.join`} and {@code apoc.text.join} are judged alike.
   */
  static String qualified(NamespaceContext namespace, SymbolicNameStringContext name) {
    List<String> parts = new ArrayList<>();
    namespace.symbolicNameString().forEach(part -> parts.add(of(part)));
    parts.add(of(name));
    return String.join(".", parts);
  }

  /** A database or alias name of {@code USE}. */
  static String alias(SymbolicAliasNameContext alias) {
    return String.join(".", alias.symbolicNameString().stream().map(Names::of).toList());
  }

  /**
   * A rule's name as the words of the command it parses: {@code alterCurrentUser} reads {@code
   * ALTER CURRENT USER}, {@code showIndexCommand} {@code SHOW INDEX}.
   */
  static String ofRule(int rule) {
    String name = Cypher5Parser.ruleNames[rule].replace("_", "");
    if (name.endsWith(COMMAND_SUFFIX)) {
      name = name.substring(0, name.length() - COMMAND_SUFFIX.length());
    }
    StringBuilder words = new StringBuilder();
    for (char c : name.toCharArray()) {
      if (Character.isUpperCase(c)) {
        words.append(' ');
      }
      words.append(Character.toUpperCase(c));
    }
    return words.toString();
  }

  static String parameter(ParameterNameContext name) {
    return name.symbolicNameString() != null
        ? of(name.symbolicNameString())
        : name.UNSIGNED_DECIMAL_INTEGER().getText();
  }

  /** A name, with the backticks of an escaped name removed and doubled backticks made single. */
  static String of(SymbolicNameStringContext name) {
    if (name.escapedSymbolicNameString() == null) {
      return name.getText();
    }
    String quoted = name.getText();
    return quoted.substring(1, quoted.length() - 1).replace(BACKTICK + BACKTICK, BACKTICK);
  }

  /**
   * A string literal's value. As in Neo4j's Cypher 5 front end, {@code \t \b \n \r \f \' \" \\} are
   * resolved and any other backslash is kept with the character after it.
   */
  static String value(StringLiteralContext literal) {
    String quoted = literal.getText();
    String text = quoted.substring(1, quoted.length() - 1);
    StringBuilder value = new StringBuilder(text.length());
    for (int at = 0; at < text.length(); at++) {
      char c = text.charAt(at);
      char escaped = c == '\\' && at + 1 < text.length() ? unescaped(text.charAt(at + 1)) : 0;
      if (escaped != 0) {
        value.append(escaped);
        at++;
      } else {
        value.append(c);
      }
    }
    return value.toString();
  }

  private static char unescaped(char c) {
    return switch (c) {
      case 't' -> '\t';
      case 'b' -> '\b';
      case 'n' -> '\n';
      case 'r' -> '\r';
      case 'f' -> '\f';
      case '\'', '"', '\\' -> c;
      default -> 0;
    };
  }

  /**
   * A name as a reason may quote it: control and formatting characters replaced, length bounded, so
   * a name cannot forge lines or flood the message it appears in.
   */
  static String display(String name) {
    StringBuilder shown = new StringBuilder();
    name.codePoints()
        .limit(LONGEST_DISPLAYED)
        .forEach(c -> shown.appendCodePoint(printable(c) ? c : '?'));
    return name.codePointCount(0, name.length()) > LONGEST_DISPLAYED
        ? shown + "…"
        : shown.toString();
  }

  private static boolean printable(int c) {
    int type = Character.getType(c);
    return type != Character.CONTROL
        && type != Character.FORMAT
        && type != Character.LINE_SEPARATOR
        && type != Character.PARAGRAPH_SEPARATOR
        && type != Character.SURROGATE
        && type != Character.PRIVATE_USE
        && type != Character.UNASSIGNED;
  }
}
