package io.neo4jaccess.gateway.cypher;

import static org.neo4j.cypher.internal.parser.v5.Cypher5Parser.*;

import java.util.BitSet;
import java.util.Map;

/**
 * The grammar rules the classifier understands, by where they may appear. This is an allowlist: a
 * parse tree holding any other rule (a newer grammar's, or a command nested where none is expected)
 * is refused as unrecognised, never passed.
 */
final class TreeShapes {

  /** The parts of a statement, each with the rules that may appear in it. */
  enum Region {
    /** Queries: clauses, patterns, expressions, subqueries, names and literals. */
    QUERY,
    /**
     * The {@code SHOW} commands drivers and tools issue, with their {@code YIELD}/{@code WHERE}.
     */
    LISTING,
    /** Index and constraint creation and removal. */
    SCHEMA;

    boolean allows(int rule) {
      return switch (this) {
        case QUERY -> QUERY_RULES.get(rule);
        case LISTING -> LISTING_RULES.get(rule);
        case SCHEMA -> SCHEMA_RULES.get(rule);
      };
    }
  }

  private static final BitSet QUERY_RULES =
      rules(
          RULE_regularQuery,
          RULE_singleQuery,
          RULE_clause,
          RULE_useClause,
          RULE_finishClause,
          RULE_returnClause,
          RULE_returnBody,
          RULE_returnItem,
          RULE_returnItems,
          RULE_orderItem,
          RULE_ascToken,
          RULE_descToken,
          RULE_orderBy,
          RULE_skip,
          RULE_limit,
          RULE_whereClause,
          RULE_withClause,
          RULE_createClause,
          RULE_insertClause,
          RULE_setClause,
          RULE_setItem,
          RULE_removeClause,
          RULE_removeItem,
          RULE_deleteClause,
          RULE_matchClause,
          RULE_matchMode,
          RULE_hint,
          RULE_mergeClause,
          RULE_mergeAction,
          RULE_unwindClause,
          RULE_callClause,
          RULE_procedureName,
          RULE_procedureArgument,
          RULE_procedureResultItem,
          RULE_loadCSVClause,
          RULE_foreachClause,
          RULE_subqueryClause,
          RULE_subqueryScope,
          RULE_subqueryInTransactionsParameters,
          RULE_subqueryInTransactionsBatchParameters,
          RULE_subqueryInTransactionsErrorParameters,
          RULE_subqueryInTransactionsReportParameters,
          RULE_orderBySkipLimitClause,
          RULE_patternList,
          RULE_insertPatternList,
          RULE_pattern,
          RULE_insertPattern,
          RULE_quantifier,
          RULE_anonymousPattern,
          RULE_shortestPathPattern,
          RULE_patternElement,
          RULE_selector,
          RULE_groupToken,
          RULE_pathToken,
          RULE_pathPatternNonEmpty,
          RULE_nodePattern,
          RULE_insertNodePattern,
          RULE_parenthesizedPath,
          RULE_nodeLabels,
          RULE_nodeLabelsIs,
          RULE_dynamicExpression,
          RULE_dynamicAnyAllExpression,
          RULE_dynamicLabelType,
          RULE_labelType,
          RULE_labelOrRelType,
          RULE_properties,
          RULE_relationshipPattern,
          RULE_insertRelationshipPattern,
          RULE_leftArrow,
          RULE_arrowLine,
          RULE_rightArrow,
          RULE_pathLength,
          RULE_labelExpression,
          RULE_labelExpression4,
          RULE_labelExpression4Is,
          RULE_labelExpression3,
          RULE_labelExpression3Is,
          RULE_labelExpression2,
          RULE_labelExpression2Is,
          RULE_labelExpression1,
          RULE_labelExpression1Is,
          RULE_insertNodeLabelExpression,
          RULE_insertRelationshipLabelExpression,
          RULE_expression,
          RULE_expression11,
          RULE_expression10,
          RULE_expression9,
          RULE_expression8,
          RULE_expression7,
          RULE_comparisonExpression6,
          RULE_normalForm,
          RULE_expression6,
          RULE_expression5,
          RULE_expression4,
          RULE_expression3,
          RULE_expression2,
          RULE_postFix,
          RULE_property,
          RULE_dynamicProperty,
          RULE_propertyExpression,
          RULE_dynamicPropertyExpression,
          RULE_expression1,
          RULE_literal,
          RULE_caseExpression,
          RULE_caseAlternative,
          RULE_extendedCaseExpression,
          RULE_extendedCaseAlternative,
          RULE_extendedWhen,
          RULE_listComprehension,
          RULE_patternComprehension,
          RULE_reduceExpression,
          RULE_listItemsPredicate,
          RULE_normalizeFunction,
          RULE_trimFunction,
          RULE_patternExpression,
          RULE_shortestPathExpression,
          RULE_parenthesizedExpression,
          RULE_mapProjection,
          RULE_mapProjectionElement,
          RULE_countStar,
          RULE_existsExpression,
          RULE_countExpression,
          RULE_collectExpression,
          RULE_numberLiteral,
          RULE_listLiteral,
          RULE_propertyKeyName,
          RULE_parameter,
          RULE_parameterName,
          RULE_functionInvocation,
          RULE_functionArgument,
          RULE_functionName,
          RULE_namespace,
          RULE_variable,
          RULE_nonEmptyNameList,
          RULE_type,
          RULE_typePart,
          RULE_typeName,
          RULE_typeNullability,
          RULE_typeListSuffix,
          RULE_map,
          RULE_stringLiteral,
          RULE_symbolicVariableNameString,
          RULE_escapedSymbolicVariableNameString,
          RULE_unescapedSymbolicVariableNameString,
          RULE_symbolicNameString,
          RULE_escapedSymbolicNameString,
          RULE_unescapedSymbolicNameString,
          RULE_symbolicLabelNameString,
          RULE_unescapedLabelSymbolicNameString,
          RULE_unescapedLabelSymbolicNameString_);

  private static final BitSet LISTING_RULES =
      with(
          QUERY_RULES,
          RULE_showIndexCommand,
          RULE_showIndexesAllowBrief,
          RULE_showIndexesNoBrief,
          RULE_indexToken,
          RULE_showConstraintCommand,
          RULE_constraintAllowYieldType,
          RULE_constraintExistType,
          RULE_constraintBriefAndYieldType,
          RULE_showConstraintsAllowBriefAndYield,
          RULE_showConstraintsAllowBrief,
          RULE_showConstraintsAllowYield,
          RULE_constraintToken,
          RULE_showProcedures,
          RULE_showFunctions,
          RULE_functionToken,
          RULE_executableBy,
          RULE_showFunctionsType,
          RULE_showBriefAndYield,
          RULE_showCommandYield,
          RULE_yieldClause,
          RULE_yieldItem,
          RULE_yieldSkip,
          RULE_yieldLimit,
          RULE_signedIntegerLiteral,
          RULE_composableCommandClauses);

  private static final BitSet SCHEMA_RULES =
      with(
          QUERY_RULES,
          RULE_createConstraint,
          RULE_constraintType,
          RULE_dropConstraint,
          RULE_createIndex,
          RULE_oldCreateIndex,
          RULE_createIndex_,
          RULE_createFulltextIndex,
          RULE_fulltextNodePattern,
          RULE_fulltextRelPattern,
          RULE_createLookupIndex,
          RULE_lookupIndexNodePattern,
          RULE_lookupIndexRelPattern,
          RULE_dropIndex,
          RULE_propertyList,
          RULE_enclosedPropertyList,
          RULE_commandNodePattern,
          RULE_commandRelPattern,
          RULE_relType,
          RULE_symbolicNameOrStringParameter,
          RULE_commandOptions,
          RULE_mapOrParameter);

  private static final BitSet LISTING_COMMANDS =
      rules(
          RULE_showIndexCommand,
          RULE_showConstraintCommand,
          RULE_showProcedures,
          RULE_showFunctions);

  private static final BitSet SCHEMA_COMMANDS =
      rules(RULE_createIndex, RULE_createConstraint, RULE_dropIndex, RULE_dropConstraint);

  /** Clauses that write, as a reason names them. */
  static final Map<Integer, String> WRITING_CLAUSES =
      Map.of(
          RULE_createClause, "CREATE",
          RULE_insertClause, "INSERT",
          RULE_mergeClause, "MERGE",
          RULE_setClause, "SET",
          RULE_removeClause, "REMOVE",
          RULE_deleteClause, "DELETE",
          RULE_foreachClause, "FOREACH",
          RULE_subqueryInTransactionsParameters, "CALL { … } IN TRANSACTIONS");

  private TreeShapes() {}

  /**
   * True for the {@code SHOW} commands that only list indexes, constraints, procedures, functions.
   */
  static boolean isListingCommand(int rule) {
    return LISTING_COMMANDS.get(rule);
  }

  /** True for index and constraint commands. */
  static boolean isSchemaCommand(int rule) {
    return SCHEMA_COMMANDS.get(rule);
  }

  private static BitSet rules(int... rules) {
    BitSet set = new BitSet(ruleNames.length);
    for (int rule : rules) {
      set.set(rule);
    }
    return set;
  }

  private static BitSet with(BitSet base, int... rules) {
    BitSet set = rules(rules);
    set.or(base);
    return set;
  }
}
