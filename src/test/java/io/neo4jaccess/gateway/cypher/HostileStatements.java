package io.neo4jaccess.gateway.cypher;

import static io.neo4jaccess.gateway.cypher.Refusal.ADMINISTRATION;
import static io.neo4jaccess.gateway.cypher.Refusal.FUNCTION_NOT_ALLOWED;
import static io.neo4jaccess.gateway.cypher.Refusal.LOAD_CSV_DYNAMIC_URL;
import static io.neo4jaccess.gateway.cypher.Refusal.LOAD_CSV_FILE_URL;
import static io.neo4jaccess.gateway.cypher.Refusal.LOAD_CSV_REMOTE_URL;
import static io.neo4jaccess.gateway.cypher.Refusal.LOAD_CSV_URL_SCHEME;
import static io.neo4jaccess.gateway.cypher.Refusal.MULTIPLE_STATEMENTS;
import static io.neo4jaccess.gateway.cypher.Refusal.PROCEDURE_NOT_ALLOWED;
import static io.neo4jaccess.gateway.cypher.Refusal.SCHEMA_CHANGE;
import static io.neo4jaccess.gateway.cypher.Refusal.UNPARSABLE;
import static io.neo4jaccess.gateway.cypher.Refusal.UNRECOGNISED;
import static io.neo4jaccess.gateway.cypher.Refusal.USE_OTHER_DATABASE;
import static io.neo4jaccess.gateway.cypher.Refusal.WRITE_ON_READ_GRANT;

import java.util.List;
import java.util.Map;

/**
 * Statements a grant must not run, each with the rule that refuses it. Most run under {@link
 * Grants#WRITE}: on Community a write grant's user is an administrator, so nothing but the
 * classifier stands between these and the server. Public so the gateway's tests can send the same
 * table through a real driver and check that nothing changed on the server.
 */
public final class HostileStatements {

  /**
   * One hostile statement.
   *
   * @param name what the case tries, as a test name
   * @param query the text sent
   * @param parameters the values sent with it
   * @param rules the grant it is sent under
   * @param rule the rule that must refuse it
   */
  public record Case(
      String name, String query, Map<String, Object> parameters, Rules rules, Refusal rule) {

    Case with(Map<String, Object> values) {
      return new Case(name, query, values, rules, rule);
    }

    Case under(Rules grant) {
      return new Case(name, query, parameters, grant, rule);
    }

    @Override
    public String toString() {
      return name;
    }
  }

  private static final String CREATE_EVIL =
      "CREATE USER evil SET PASSWORD 'evil-password' CHANGE NOT REQUIRED";

  public static final List<Case> ALL =
      List.of(
          // Administration, as a job user on Community could run it.
          refused("create_user", ADMINISTRATION, CREATE_EVIL),
          refused(
                  "create_or_replace_user_with_parameters",
                  ADMINISTRATION,
                  "CREATE OR REPLACE USER $name SET PASSWORD $password CHANGE NOT REQUIRED")
              .with(Map.of("name", "evil", "password", "evil-password")),
          refused("alter_user", ADMINISTRATION, "ALTER USER neo4j SET PASSWORD 'taken-over-1'"),
          refused(
              "alter_current_user",
              ADMINISTRATION,
              "ALTER CURRENT USER SET PASSWORD FROM 'old-password' TO 'new-password'"),
          refused("drop_user", ADMINISTRATION, "DROP USER neo4j IF EXISTS"),
          refused("rename_user", ADMINISTRATION, "RENAME USER neo4j TO gone"),
          refused("show_users", ADMINISTRATION, "SHOW USERS"),
          refused("show_current_user", ADMINISTRATION, "SHOW CURRENT USER"),
          refused("show_privileges", ADMINISTRATION, "SHOW PRIVILEGES AS COMMANDS"),
          refused("show_settings", ADMINISTRATION, "SHOW SETTINGS YIELD name, value"),
          refused("show_transactions", ADMINISTRATION, "SHOW TRANSACTIONS"),
          refused(
              "terminate_transactions",
              ADMINISTRATION,
              "TERMINATE TRANSACTIONS 'neo4j-transaction-1'"),
          refused(
              "show_transactions_then_terminate",
              ADMINISTRATION,
              "SHOW TRANSACTIONS YIELD transactionId AS id TERMINATE TRANSACTIONS id"),
          refused(
              "listing_composed_with_terminate_transactions",
              ADMINISTRATION,
              "SHOW INDEXES YIELD name TERMINATE TRANSACTIONS 'neo4j-transaction-1'"),
          refused("show_databases", ADMINISTRATION, "SHOW DATABASES"),
          refused("create_database", ADMINISTRATION, "CREATE DATABASE other IF NOT EXISTS"),
          refused("stop_database", ADMINISTRATION, "STOP DATABASE neo4j"),
          refused("grant_role", ADMINISTRATION, "GRANT ROLE admin TO evil"),
          refused("grant_privilege", ADMINISTRATION, "GRANT ALL DBMS PRIVILEGES ON DBMS TO PUBLIC"),
          refused("create_alias", ADMINISTRATION, "CREATE ALIAS elsewhere FOR DATABASE neo4j"),
          refused("show_aliases", ADMINISTRATION, "SHOW ALIASES FOR DATABASES"),
          refused("enable_server", ADMINISTRATION, "ENABLE SERVER 'server-1'"),
          // The same, disguised.
          refused(
              "block_comment_between_keywords",
              ADMINISTRATION,
              "CREATE/* not a user */USER evil SET PASSWORD 'evil-password'"),
          refused(
              "line_comments_tabs_and_newlines",
              ADMINISTRATION,
              "// harmless\nCREATE\t// still harmless\nUSER\nevil\tSET PASSWORD 'evil-password'"),
          refused(
              "mixed_case_keywords",
              ADMINISTRATION,
              "cReAtE uSeR evil SeT pAsSwOrD 'evil-password'"),
          refused(
              "unicode_escaped_keyword",
              ADMINISTRATION,
              "\\u0043REATE USER evil SET PASSWORD 'evil-password'"),
          refused("explain_prefix", ADMINISTRATION, "EXPLAIN " + CREATE_EVIL),
          refused("profile_prefix", ADMINISTRATION, "PROFILE SHOW USERS"),
          refused("cypher_5_prefix", ADMINISTRATION, "CYPHER 5 SHOW USERS"),
          refused(
              "cypher_runtime_prefix",
              ADMINISTRATION,
              "CYPHER runtime=slotted TERMINATE TRANSACTIONS 'neo4j-transaction-1'"),
          refused(
              "commented_prefixes_in_lower_case",
              ADMINISTRATION,
              "/* hi */ cypher 5 planner=cost // hello\n explain ALTER CURRENT USER SET PASSWORD"
                  + " FROM 'a' TO 'b'"),
          // Procedures outside the allowlist, under every spelling.
          refused("kill_connections", PROCEDURE_NOT_ALLOWED, "CALL dbms.killConnections(['b-1'])"),
          refused(
              "backticked_procedure_name",
              PROCEDURE_NOT_ALLOWED,
              "CALL dbms.`killConnections`([])"),
          refused(
              "backticked_namespace_and_name",
              PROCEDURE_NOT_ALLOWED,
              "CALL `dbms`.`listConfig`() YIELD name RETURN name"),
          refused("spaces_around_the_dot", PROCEDURE_NOT_ALLOWED, "CALL dbms . listConfig ( )"),
          refused(
              "comments_around_the_dot",
              PROCEDURE_NOT_ALLOWED,
              "CALL dbms/* a */./* b */listConnections()"),
          refused(
              "unicode_escaped_procedure_name",
              PROCEDURE_NOT_ALLOWED,
              "CALL dbms.\\u006BillConnections([])"),
          refused("procedure_without_parentheses", PROCEDURE_NOT_ALLOWED, "CALL dbms.listConfig"),
          refused(
              "optional_call",
              PROCEDURE_NOT_ALLOWED,
              "OPTIONAL CALL dbms.listConnections() YIELD connectionId RETURN connectionId"),
          refused(
              "list_connections",
              PROCEDURE_NOT_ALLOWED,
              "CALL dbms.listConnections() YIELD connectionId RETURN connectionId"),
          refused("clear_query_caches", PROCEDURE_NOT_ALLOWED, "CALL db.clearQueryCaches()"),
          refused(
              "forge_transaction_metadata",
              PROCEDURE_NOT_ALLOWED,
              "CALL tx.setMetaData({lease: 'someone-else'})"),
          refused(
              "schema_change_through_a_procedure",
              PROCEDURE_NOT_ALLOWED,
              "CALL db.index.vector.createNodeIndex('v', 'Doc', 'embedding', 3, 'cosine')"),
          refused(
                  "administration_text_as_a_parameter",
                  PROCEDURE_NOT_ALLOWED,
                  "CALL apoc.cypher.runSchema($statement, {})")
              .with(Map.of("statement", CREATE_EVIL)),
          refused(
              "administration_text_as_a_literal",
              PROCEDURE_NOT_ALLOWED,
              "CALL apoc.cypher.run('SHOW USERS', {}) YIELD value RETURN value"),
          // Forbidden calls hidden in subqueries, branches and prefixes.
          refused(
              "call_subquery",
              PROCEDURE_NOT_ALLOWED,
              "MATCH (n) CALL { CALL dbms.listConfig() YIELD name RETURN name } RETURN n, name"),
          refused(
              "exists_subquery",
              PROCEDURE_NOT_ALLOWED,
              "MATCH (n) WHERE EXISTS { CALL dbms.killConnections([]) YIELD connectionId"
                  + " RETURN connectionId } RETURN n"),
          refused(
              "collect_subquery",
              PROCEDURE_NOT_ALLOWED,
              "RETURN COLLECT { CALL dbms.listConfig() YIELD name RETURN name } AS names"),
          refused(
              "count_subquery",
              PROCEDURE_NOT_ALLOWED,
              "RETURN COUNT { CALL dbms.listConnections() YIELD connectionId"
                  + " RETURN connectionId } AS connections"),
          refused(
              "union_branch",
              PROCEDURE_NOT_ALLOWED,
              "RETURN 'x' AS name UNION CALL dbms.listConfig() YIELD name RETURN name"),
          refused(
              "union_all_branch_in_a_subquery",
              PROCEDURE_NOT_ALLOWED,
              "CALL { RETURN 1 AS c UNION ALL CALL db.clearQueryCaches() YIELD value"
                  + " RETURN 2 AS c } RETURN c"),
          refused(
              "in_transactions_subquery",
              PROCEDURE_NOT_ALLOWED,
              "UNWIND [1] AS i CALL { WITH i CALL dbms.killConnections([]) YIELD connectionId"
                  + " RETURN connectionId } IN TRANSACTIONS RETURN connectionId"),
          refused(
              "subquery_in_a_listing_filter",
              PROCEDURE_NOT_ALLOWED,
              "SHOW INDEXES YIELD name WHERE EXISTS { CALL dbms.listConfig() YIELD name AS n"
                  + " RETURN n } RETURN name"),
          refused(
              "explain_of_a_subquery",
              PROCEDURE_NOT_ALLOWED,
              "EXPLAIN CALL { CALL dbms.listConfig() YIELD name RETURN name } RETURN name"),
          // The server replaces unicode escapes before it lexes: this quote ends the string there.
          refused(
              "quote_as_unicode_escape_ends_a_string_early",
              PROCEDURE_NOT_ALLOWED,
              "WITH '\\u0027 AS a CALL dbms.listConfig() YIELD name RETURN name //' AS a"
                  + " RETURN a"),
          // Plugin functions.
          refused(
              "plugin_function",
              FUNCTION_NOT_ALLOWED,
              "RETURN apoc.text.join(['a', 'b'], ',') AS s"),
          refused(
              "backticked_dotted_function_name",
              FUNCTION_NOT_ALLOWED,
              "RETURN `apoc.text.join`(['a'], ',') AS s"),
          // LOAD CSV.
          refused(
              "load_csv_from_a_file_url",
              LOAD_CSV_FILE_URL,
              "LOAD CSV FROM 'file:///etc/hostname' AS line RETURN line"),
          refused(
              "load_csv_from_an_upper_case_file_url",
              LOAD_CSV_FILE_URL,
              "LOAD CSV FROM 'FILE:/etc/passwd' AS line RETURN line"),
          refused(
              "load_csv_from_a_unicode_escaped_file_url",
              LOAD_CSV_FILE_URL,
              "LOAD CSV FROM '\\u0066ile:///etc/passwd' AS line RETURN line"),
          refused(
                  "load_csv_from_a_file_url_parameter",
                  LOAD_CSV_FILE_URL,
                  "LOAD CSV FROM $url AS line RETURN line")
              .with(Map.of("url", "file:///etc/passwd")),
          refused(
              "load_csv_file_url_in_a_subquery",
              LOAD_CSV_FILE_URL,
              "CALL { LOAD CSV WITH HEADERS FROM 'file:///etc/passwd' AS row RETURN row }"
                  + " RETURN row"),
          refused(
              "load_csv_from_a_concatenated_url",
              LOAD_CSV_DYNAMIC_URL,
              "LOAD CSV FROM 'fi' + 'le:///etc/passwd' AS line RETURN line"),
          refused(
              "load_csv_from_a_variable",
              LOAD_CSV_DYNAMIC_URL,
              "WITH 'file:///etc/passwd' AS url LOAD CSV FROM url AS line RETURN line"),
          refused(
              "load_csv_from_a_missing_parameter",
              LOAD_CSV_DYNAMIC_URL,
              "LOAD CSV FROM $url AS line RETURN line"),
          refused(
                  "load_csv_from_a_parameter_that_is_not_text",
                  LOAD_CSV_DYNAMIC_URL,
                  "LOAD CSV FROM $url AS line RETURN line")
              .with(Map.of("url", List.of("file:///etc/passwd"))),
          refused(
              "load_csv_remote_without_the_grant",
              LOAD_CSV_REMOTE_URL,
              "LOAD CSV FROM 'https://data.example.com/people.csv' AS line RETURN line"),
          refused(
                  "load_csv_over_ftp",
                  LOAD_CSV_URL_SCHEME,
                  "LOAD CSV FROM 'ftp://files.example.com/people.csv' AS line RETURN line")
              .under(Grants.WRITE_WITH_REMOTE_CSV),
          // Other databases.
          refused("use_system", USE_OTHER_DATABASE, "USE system MATCH (n) RETURN count(n)"),
          refused(
              "use_system_backticked_in_parentheses",
              USE_OTHER_DATABASE,
              "USE (`system`) RETURN 1 AS one"),
          refused(
              "use_composite_graph_by_name",
              USE_OTHER_DATABASE,
              "USE graph.byName('other') MATCH (n) RETURN n"),
          refused(
              "use_in_a_subquery",
              USE_OTHER_DATABASE,
              "CALL { USE other MATCH (n) RETURN n } RETURN n"),
          refused("use_before_a_listing", USE_OTHER_DATABASE, "USE other SHOW INDEXES"),
          refused("use_system_before_administration", ADMINISTRATION, "USE system SHOW USERS"),
          // Several statements, or none that parses.
          refused(
              "second_statement_after_a_semicolon",
              MULTIPLE_STATEMENTS,
              "MATCH (n) RETURN count(n); " + CREATE_EVIL),
          refused("two_harmless_statements", MULTIPLE_STATEMENTS, "RETURN 1; RETURN 2"),
          refused("incomplete_command", UNPARSABLE, "CREATE USER"),
          refused("empty_text", UNPARSABLE, ""),
          refused("only_a_comment", UNPARSABLE, "/* nothing */ // here"),
          refused("invalid_unicode_escape", UNPARSABLE, "RETURN '\\uZZZZ' AS x"),
          refused("only_a_prefix", UNPARSABLE, "EXPLAIN"),
          refused("cypher_25", UNRECOGNISED, "CYPHER 25 MATCH (n) RETURN n"),
          refused(
              "periodic_commit",
              UNRECOGNISED,
              "USING PERIODIC COMMIT LOAD CSV FROM 'https://data.example.com/a.csv' AS line"
                  + " CREATE (:Line)"),
          // Schema changes without the grant's schema flag.
          refused("create_index", SCHEMA_CHANGE, "CREATE INDEX person_id FOR (p:Person) ON (p.id)"),
          refused(
              "create_constraint",
              SCHEMA_CHANGE,
              "CREATE CONSTRAINT person_id FOR (p:Person) REQUIRE p.id IS UNIQUE"),
          refused("drop_constraint", SCHEMA_CHANGE, "DROP CONSTRAINT person_id IF EXISTS"),
          // Writes on a read grant.
          refused("create_on_a_read_grant", WRITE_ON_READ_GRANT, "CREATE (:Person {id: 1})")
              .under(Grants.READ),
          refused(
                  "merge_in_a_subquery_on_a_read_grant",
                  WRITE_ON_READ_GRANT,
                  "MATCH (n) CALL { WITH n MERGE (n)-[:SEEN]->(:Audit) } RETURN n")
              .under(Grants.READ),
          refused(
                  "in_transactions_on_a_read_grant",
                  WRITE_ON_READ_GRANT,
                  "UNWIND range(1, 10) AS i CALL { WITH i MATCH (n {id: i}) RETURN n }"
                      + " IN TRANSACTIONS RETURN n")
              .under(Grants.READ),
          refused(
                  "foreach_set_on_a_read_grant",
                  WRITE_ON_READ_GRANT,
                  "MATCH (n) FOREACH (x IN [1] | SET n.touched = x)")
              .under(Grants.READ),
          refused(
                  "create_index_on_a_read_grant",
                  WRITE_ON_READ_GRANT,
                  "CREATE INDEX person_id FOR (p:Person) ON (p.id)")
              .under(Grants.READ),
          refused("explain_of_a_write_on_a_read_grant", WRITE_ON_READ_GRANT, "EXPLAIN CREATE ()")
              .under(Grants.READ));

  private HostileStatements() {}

  private static Case refused(String name, Refusal rule, String query) {
    return new Case(name, query, Map.of(), Grants.WRITE, rule);
  }
}
