package io.neo4jaccess.gateway.cypher;

import io.neo4jaccess.gateway.cypher.Analysis.Shape;
import java.util.List;
import org.antlr.v4.runtime.BailErrorStrategy;
import org.antlr.v4.runtime.BaseErrorListener;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.ListTokenSource;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Recognizer;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.atn.PredictionMode;
import org.antlr.v4.runtime.misc.ParseCancellationException;
import org.neo4j.cypher.internal.parser.v5.Cypher5Lexer;
import org.neo4j.cypher.internal.parser.v5.Cypher5Parser;
import org.neo4j.cypher.internal.parser.v5.Cypher5Parser.StatementsContext;

/**
 * Parses a query text as Neo4j 5.26 does: unicode escapes replaced first, then the pre-parser's
 * options ({@code EXPLAIN}, {@code PROFILE}, {@code CYPHER [5] [option=value …]}) taken off the
 * front, then the rest parsed with Neo4j's own Cypher 5 grammar, fast (SLL) first and in full (LL)
 * when that fails, with no error recovery. Text that does not parse is refused.
 */
final class StatementParser {

  private static final String SUPPORTED_CYPHER_VERSION = "5";

  private static final BaseErrorListener FAIL_ON_ERROR =
      new BaseErrorListener() {
        @Override
        public void syntaxError(
            Recognizer<?, ?> recognizer,
            Object offendingSymbol,
            int line,
            int charPositionInLine,
            String msg,
            RecognitionException e) {
          // The message quotes the query: it is dropped, only the fact of the error is kept.
          throw new ParseCancellationException("syntax error");
        }
      };

  private StatementParser() {}

  /**
   * The parse tree of the statement(s) in {@code query}, after the pre-parser's options.
   *
   * @throws NotClassified when the text is not Cypher 5 that Neo4j's parser accepts
   */
  static StatementsContext parse(String query) {
    List<? extends Token> tokens = tokens(query);
    List<? extends Token> statement = tokens.subList(statementStart(tokens), tokens.size());
    try {
      return parseFastThenFull(statement);
    } catch (StackOverflowError e) {
      throw unparsable("it is nested too deeply to parse");
    }
  }

  private static StatementsContext parseFastThenFull(List<? extends Token> statement) {
    try {
      return parse(statement, PredictionMode.SLL);
    } catch (ParseCancellationException fastParseFailed) {
      try {
        return parse(statement, PredictionMode.LL);
      } catch (ParseCancellationException e) {
        throw unparsable("Neo4j's Cypher 5 parser does not accept it");
      }
    }
  }

  private static List<? extends Token> tokens(String query) {
    String text;
    try {
      text = UnicodeEscapes.replace(query);
    } catch (IllegalArgumentException e) {
      throw unparsable("it has a unicode escape without four hexadecimal digits");
    }
    Cypher5Lexer lexer = new Cypher5Lexer(CharStreams.fromString(text));
    lexer.removeErrorListeners();
    lexer.addErrorListener(FAIL_ON_ERROR);
    try {
      return lexer.getAllTokens();
    } catch (ParseCancellationException e) {
      throw unparsable("Neo4j's Cypher 5 lexer does not accept it");
    }
  }

  private static StatementsContext parse(List<? extends Token> tokens, PredictionMode mode) {
    Cypher5Parser parser = new Cypher5Parser(new CommonTokenStream(new ListTokenSource(tokens)));
    parser.removeErrorListeners();
    parser.setErrorHandler(new BailErrorStrategy());
    parser.getInterpreter().setPredictionMode(mode);
    return parser.statements();
  }

  /**
   * Index of the first token after the pre-parser's options, which come in any order and number
   * before the statement. No statement starts with a plain identifier, so a misread option leaves a
   * text that fails to parse rather than one that parses differently.
   */
  private static int statementStart(List<? extends Token> tokens) {
    int at = visible(tokens, 0);
    while (at < tokens.size()) {
      if (isWord(tokens.get(at), "EXPLAIN") || isWord(tokens.get(at), "PROFILE")) {
        at = visible(tokens, at + 1);
      } else if (isWord(tokens.get(at), "CYPHER")) {
        at = cypherOptionsEnd(tokens, visible(tokens, at + 1));
      } else {
        break;
      }
    }
    return at;
  }

  private static int cypherOptionsEnd(List<? extends Token> tokens, int at) {
    if (at < tokens.size() && tokens.get(at).getType() == Cypher5Lexer.UNSIGNED_DECIMAL_INTEGER) {
      String version = tokens.get(at).getText();
      if (!SUPPORTED_CYPHER_VERSION.equals(version)) {
        // Another language has other commands: only Cypher 5 is classified.
        throw new NotClassified(Shape.UNRECOGNISED, "CYPHER " + version);
      }
      at = visible(tokens, at + 1);
    }
    while (at < tokens.size() && tokens.get(at).getType() == Cypher5Lexer.IDENTIFIER) {
      int equals = visible(tokens, at + 1);
      int value = visible(tokens, equals + 1);
      if (value >= tokens.size()
          || tokens.get(equals).getType() != Cypher5Lexer.EQ
          || !isPlainWord(tokens.get(value).getText())) {
        break;
      }
      at = visible(tokens, value + 1);
    }
    return at;
  }

  private static int visible(List<? extends Token> tokens, int from) {
    int at = from;
    while (at < tokens.size() && tokens.get(at).getChannel() != Token.DEFAULT_CHANNEL) {
      at++;
    }
    return at;
  }

  private static boolean isWord(Token token, String word) {
    return token.getType() == Cypher5Lexer.IDENTIFIER && token.getText().equalsIgnoreCase(word);
  }

  private static boolean isPlainWord(String text) {
    return !text.isEmpty()
        && text.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '_' || c == '.');
  }

  private static NotClassified unparsable(String why) {
    return new NotClassified(Shape.UNPARSABLE, why);
  }
}
