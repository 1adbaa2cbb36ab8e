package io.neo4jaccess.gateway.cypher;

/**
 * Where a {@code LOAD CSV} reads from, as far as the query text tells: a literal URL, a parameter
 * whose value is known only per execution, or an expression the classifier does not evaluate.
 */
sealed interface CsvSource {

  /** {@code LOAD CSV FROM 'https://…'}: the literal's value, escapes resolved. */
  record Url(String url) implements CsvSource {}

  /** {@code LOAD CSV FROM $name}: decided by the parameter's value at each execution. */
  record Parameter(String name) implements CsvSource {}

  /** Any other expression, e.g. {@code 'fi' + 'le:///etc/passwd'} or a variable: never allowed. */
  record Computed() implements CsvSource {}
}
