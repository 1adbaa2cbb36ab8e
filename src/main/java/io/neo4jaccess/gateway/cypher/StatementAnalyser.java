package io.neo4jaccess.gateway.cypher;

import static org.neo4j.cypher.internal.parser.v5.Cypher5Parser.RULE_allocationCommand;
import static org.neo4j.cypher.internal.parser.v5.Cypher5Parser.RULE_alterCommand;
import static org.neo4j.cypher.internal.parser.v5.Cypher5Parser.RULE_callClause;
import static org.neo4j.cypher.internal.parser.v5.Cypher5Parser.RULE_composableCommandClauses;
import static org.neo4j.cypher.internal.parser.v5.Cypher5Parser.RULE_createCommand;
import static org.neo4j.cypher.internal.parser.v5.Cypher5Parser.RULE_dropCommand;
import static org.neo4j.cypher.internal.parser.v5.Cypher5Parser.RULE_functionInvocation;
import static org.neo4j.cypher.internal.parser.v5.Cypher5Parser.RULE_loadCSVClause;
import static org.neo4j.cypher.internal.parser.v5.Cypher5Parser.RULE_renameCommand;
import static org.neo4j.cypher.internal.parser.v5.Cypher5Parser.RULE_showCommand;
import static org.neo4j.cypher.internal.parser.v5.Cypher5Parser.RULE_terminateCommand;
import static org.neo4j.cypher.internal.parser.v5.Cypher5Parser.RULE_useClause;

import io.neo4jaccess.gateway.cypher.Analysis.Shape;
import io.neo4jaccess.gateway.cypher.TreeShapes.Region;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.tree.ErrorNode;
import org.antlr.v4.runtime.tree.ParseTree;
import org.antlr.v4.runtime.tree.TerminalNode;
import org.neo4j.cypher.internal.parser.v5.Cypher5Parser.CallClauseContext;
import org.neo4j.cypher.internal.parser.v5.Cypher5Parser.CommandContext;
import org.neo4j.cypher.internal.parser.v5.Cypher5Parser.FunctionInvocationContext;
import org.neo4j.cypher.internal.parser.v5.Cypher5Parser.GraphReferenceContext;
import org.neo4j.cypher.internal.parser.v5.Cypher5Parser.LoadCSVClauseContext;
import org.neo4j.cypher.internal.parser.v5.Cypher5Parser.ParameterContext;
import org.neo4j.cypher.internal.parser.v5.Cypher5Parser.StatementContext;
import org.neo4j.cypher.internal.parser.v5.Cypher5Parser.StatementsContext;
import org.neo4j.cypher.internal.parser.v5.Cypher5Parser.StringLiteralContext;
import org.neo4j.cypher.internal.parser.v5.Cypher5Parser.UseClauseContext;

/**
 * Reads what a statement does from its parse tree: which kind of statement it is, and every
 * procedure, function, {@code USE}, {@code LOAD CSV} source and writing clause anywhere in it,
 * subqueries and {@code UNION} branches included. The walk visits every node and refuses any rule
 * its region does not list (see {@link TreeShapes}).
 */
final class StatementAnalyser {

  private static final Set<Integer> NAMED_BY_OBJECT =
      Set.of(
          RULE_showCommand,
          RULE_createCommand,
          RULE_dropCommand,
          RULE_alterCommand,
          RULE_renameCommand,
          RULE_terminateCommand,
          RULE_allocationCommand);

  private final Set<String> useTargets = new LinkedHashSet<>();
  private final Set<String> procedures = new LinkedHashSet<>();
  private final Set<String> functions = new LinkedHashSet<>();
  private final List<CsvSource> csvSources = new ArrayList<>();
  private final Set<String> writes = new LinkedHashSet<>();

  private StatementAnalyser() {}

  /** Parses and walks {@code query}; never throws for any text. */
  static Analysis analyse(String query) {
    try {
      return new StatementAnalyser().statements(StatementParser.parse(query));
    } catch (NotClassified e) {
      return e.analysis();
    }
  }

  private Analysis statements(StatementsContext statements) {
    if (statements.statement().size() != 1) {
      return Analysis.refused(
          Shape.MULTIPLE_STATEMENTS, statements.statement().size() + " statements");
    }
    StatementContext statement = statements.statement(0);
    if (statement.periodicCommitQueryHintFailure() != null) {
      return Analysis.refused(Shape.UNRECOGNISED, "USING PERIODIC COMMIT");
    }
    if (statement.regularQuery() != null) {
      walk(statement.regularQuery(), Region.QUERY);
      return analysis(Shape.QUERY, "query");
    }
    return command(statement.command());
  }

  private Analysis command(CommandContext command) {
    if (command.useClause() != null) {
      use(command.useClause());
    }
    ParserRuleContext action = lastRuleChild(command);
    int verb = action.getRuleIndex();
    // These rules hold only a verb; the rule below names what the command acts on.
    ParserRuleContext object = NAMED_BY_OBJECT.contains(verb) ? lastRuleChild(action) : action;
    String subject = Names.ofRule(object.getRuleIndex());
    if (verb == RULE_showCommand && TreeShapes.isListingCommand(object.getRuleIndex())) {
      walk(object, Region.LISTING);
      return analysis(Shape.LISTING, subject);
    }
    if ((verb == RULE_createCommand || verb == RULE_dropCommand)
        && TreeShapes.isSchemaCommand(object.getRuleIndex())) {
      walk(object, Region.SCHEMA);
      return analysis(Shape.SCHEMA, subject);
    }
    return Analysis.refused(Shape.ADMINISTRATION, subject);
  }

  private void walk(ParserRuleContext root, Region region) {
    Deque<ParseTree> pending = new ArrayDeque<>();
    pending.push(root);
    while (!pending.isEmpty()) {
      ParseTree node = pending.pop();
      // Only an error-recovering parse leaves error nodes; this one bails out instead. Should that
      // change, a tree with gaps is still never passed.
      if (node instanceof ErrorNode) {
        throw new NotClassified(Shape.UNPARSABLE, "Neo4j's Cypher 5 parser does not accept it");
      }
      if (node instanceof TerminalNode) {
        continue;
      }
      ParserRuleContext rule = (ParserRuleContext) node;
      if (!region.allows(rule.getRuleIndex())) {
        throw new NotClassified(Shape.UNRECOGNISED, Names.ofRule(rule.getRuleIndex()));
      }
      if (record(rule)) {
        for (int child = rule.getChildCount() - 1; child >= 0; child--) {
          pending.push(rule.getChild(child));
        }
      }
    }
  }

  /** Notes what the node does; answers whether its children are walked too. */
  private boolean record(ParserRuleContext node) {
    switch (node.getRuleIndex()) {
      case RULE_useClause -> {
        use((UseClauseContext) node);
        return false;
      }
      case RULE_callClause -> {
        CallClauseContext call = (CallClauseContext) node;
        procedures.add(
            Names.qualified(
                call.procedureName().namespace(), call.procedureName().symbolicNameString()));
      }
      case RULE_functionInvocation -> {
        FunctionInvocationContext invocation = (FunctionInvocationContext) node;
        functions.add(
            Names.qualified(
                invocation.functionName().namespace(),
                invocation.functionName().symbolicNameString()));
      }
      case RULE_loadCSVClause -> csvSources.add(csvSource(((LoadCSVClauseContext) node)));
      case RULE_composableCommandClauses -> {
        // SHOW … followed by SHOW or TERMINATE TRANSACTIONS: named by the command composed last.
        ParserRuleContext composed = lastRuleChild(lastRuleChild(node));
        throw new NotClassified(Shape.ADMINISTRATION, Names.ofRule(composed.getRuleIndex()));
      }
      default -> {
        String writing = TreeShapes.WRITING_CLAUSES.get(node.getRuleIndex());
        if (writing != null) {
          writes.add(writing);
        }
      }
    }
    return true;
  }

  private void use(UseClauseContext use) {
    GraphReferenceContext graph = use.graphReference();
    while (graph.graphReference() != null) {
      graph = graph.graphReference();
    }
    if (graph.symbolicAliasName() != null) {
      useTargets.add(Names.alias(graph.symbolicAliasName()));
    } else {
      FunctionInvocationContext dynamic = graph.functionInvocation();
      useTargets.add(
          Names.qualified(
                  dynamic.functionName().namespace(), dynamic.functionName().symbolicNameString())
              + "(…)");
    }
  }

  /**
   * The URL expression, seen through the single-child chain an expression parses into: a string
   * literal or a parameter on its own; anything else is computed.
   */
  private static CsvSource csvSource(LoadCSVClauseContext load) {
    ParserRuleContext node = load.expression();
    while (node.getChildCount() == 1 && node.getChild(0) instanceof ParserRuleContext only) {
      node = only;
    }
    if (node instanceof StringLiteralContext literal) {
      return new CsvSource.Url(Names.value(literal));
    }
    if (node instanceof ParameterContext parameter) {
      return new CsvSource.Parameter(Names.parameter(parameter.parameterName()));
    }
    return new CsvSource.Computed();
  }

  private Analysis analysis(Shape shape, String subject) {
    return new Analysis(
        shape,
        subject,
        List.copyOf(useTargets),
        List.copyOf(procedures),
        List.copyOf(functions),
        List.copyOf(csvSources),
        List.copyOf(writes));
  }

  private static ParserRuleContext lastRuleChild(ParserRuleContext node) {
    List<ParserRuleContext> children = node.getRuleContexts(ParserRuleContext.class);
    return children.get(children.size() - 1);
  }
}
