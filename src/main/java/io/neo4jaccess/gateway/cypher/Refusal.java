package io.neo4jaccess.gateway.cypher;

/**
 * Why a statement is refused. Each code is stable: audits count by it and clients may match on it;
 * docs/statement-rules.md describes each one.
 */
public enum Refusal {
  /** Neo4j's Cypher 5 parser does not accept the text (or an escape in it). */
  UNPARSABLE("unparsable"),
  /** It parses, but holds something the classifier does not know, or selects another language. */
  UNRECOGNISED("unrecognised"),
  /** More than one {@code ;}-separated statement. */
  MULTIPLE_STATEMENTS("multiple_statements"),
  /** Users, roles, privileges, databases, aliases, servers, transactions, settings. */
  ADMINISTRATION("administration"),
  /** {@code USE} of a database other than the grant's, or a dynamic graph reference. */
  USE_OTHER_DATABASE("use_other_database"),
  /** A procedure that is not on the grant's allowlist. */
  PROCEDURE_NOT_ALLOWED("procedure_not_allowed"),
  /** A function that is neither built in nor on the grant's allowlist. */
  FUNCTION_NOT_ALLOWED("function_not_allowed"),
  /** {@code CREATE|DROP INDEX|CONSTRAINT} on a grant without {@code schema: true}. */
  SCHEMA_CHANGE("schema_change"),
  /** A writing clause or schema change on a read grant. */
  WRITE_ON_READ_GRANT("write_on_read_grant"),
  /** {@code LOAD CSV} from a {@code file:} URL: the database server's own files. */
  LOAD_CSV_FILE_URL("load_csv_file_url"),
  /** {@code LOAD CSV} from an {@code http(s)} URL on a grant without remote CSV. */
  LOAD_CSV_REMOTE_URL("load_csv_remote_url"),
  /**
   * {@code LOAD CSV} from a URL that is not a literal or a text parameter: it cannot be checked.
   */
  LOAD_CSV_DYNAMIC_URL("load_csv_dynamic_url"),
  /**
   * {@code LOAD CSV} from a URL that is neither {@code file:} nor {@code http(s)}, or not a URL.
   */
  LOAD_CSV_URL_SCHEME("load_csv_url_scheme");

  private final String code;

  Refusal(String code) {
    this.code = code;
  }

  /** The stable snake_case code. */
  public String code() {
    return code;
  }
}
