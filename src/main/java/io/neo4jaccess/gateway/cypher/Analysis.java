package io.neo4jaccess.gateway.cypher;

import java.util.List;

/**
 * What one query text does, independent of any grant: the result of parsing and walking it once,
 * cached by query text so a repeated query is judged against each grant without parsing again.
 *
 * @param shape what kind of statement the text is
 * @param subject what the shape names: the command ({@code CREATE USER}, {@code CREATE INDEX}), or
 *     why the text could not be classified; never query text beyond grammar words
 * @param useTargets databases named by {@code USE} clauses, in text order; a dynamic reference is
 *     kept as the function it calls, e.g. {@code graph.byName(…)}, which no database name equals
 * @param procedures procedures called, as dotted names
 * @param functions functions called, as dotted names
 * @param csvSources what each {@code LOAD CSV} reads from
 * @param writes the clauses that write, e.g. {@code MERGE}; empty for a read-only statement
 */
record Analysis(
    Shape shape,
    String subject,
    List<String> useTargets,
    List<String> procedures,
    List<String> functions,
    List<CsvSource> csvSources,
    List<String> writes) {

  /** The kinds of statement the classifier tells apart. */
  enum Shape {
    /** A query: clauses, subqueries, {@code UNION}s. */
    QUERY,
    /** One of the listings drivers and tools issue: {@code SHOW INDEXES|CONSTRAINTS|…}. */
    LISTING,
    /** {@code CREATE|DROP INDEX|CONSTRAINT}. */
    SCHEMA,
    /** Any other command: users, roles, privileges, databases, servers, transactions, settings. */
    ADMINISTRATION,
    /** More than one statement. */
    MULTIPLE_STATEMENTS,
    /** Text Neo4j's Cypher 5 parser does not accept. */
    UNPARSABLE,
    /** Parsed, but with a part the classifier does not know. */
    UNRECOGNISED
  }

  /** A text that is refused whatever the grant: only its shape and why are known. */
  static Analysis refused(Shape shape, String subject) {
    return new Analysis(shape, subject, List.of(), List.of(), List.of(), List.of(), List.of());
  }
}
