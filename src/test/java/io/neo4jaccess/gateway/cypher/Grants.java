package io.neo4jaccess.gateway.cypher;

import io.neo4jaccess.gateway.cypher.Rules.Access;

/**
 * The grants the statement tables run under, all on the test server's default database {@code
 * neo4j} with the default procedure allowlist. Public so gateway tests can set up matching leases.
 */
public final class Grants {

  public static final String DATABASE = "neo4j";

  /** A write grant as most CI jobs get it: no schema changes, no remote CSV. */
  public static final Rules WRITE = write(false, false);

  public static final Rules WRITE_WITH_SCHEMA = write(true, false);

  public static final Rules WRITE_WITH_REMOTE_CSV = write(false, true);

  public static final Rules READ =
      new Rules(DATABASE, Access.READ, false, false, Rules.DEFAULT_PROCEDURE_ALLOWLIST);

  private Grants() {}

  private static Rules write(boolean schema, boolean remoteCsv) {
    return new Rules(DATABASE, Access.WRITE, schema, remoteCsv, Rules.DEFAULT_PROCEDURE_ALLOWLIST);
  }
}
