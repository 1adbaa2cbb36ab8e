package io.neo4jaccess.gateway.cypher;

import java.util.Objects;
import java.util.Set;

/**
 * What one grant lets a statement do, as the classifier needs it.
 *
 * @param database the granted database; {@code USE} of any other is refused (names compare without
 *     case, as Neo4j's do)
 * @param access whether the grant may write
 * @param schemaAllowed whether index and constraint commands pass (on write grants)
 * @param remoteCsvAllowed whether {@code LOAD CSV} may read {@code http(s)} URLs; the database
 *     server fetches them, so this lets a job reach whatever that server can reach
 * @param procedureAllowlist procedures and user-defined functions the grant may call: exact dotted
 *     names ({@code db.labels}, compared with case as Neo4j resolves them) or a namespace followed
 *     by {@code .*} ({@code db.schema.*}) for every name below it. Built-in functions need no
 *     entry.
 */
public record Rules(
    String database,
    Access access,
    boolean schemaAllowed,
    boolean remoteCsvAllowed,
    Set<String> procedureAllowlist) {

  /** Read grants refuse every write before the server does, with a clear reason. */
  public enum Access {
    READ,
    WRITE
  }

  /**
   * The read helpers drivers and tools call: labels, types, property keys, schema, index queries
   * and waits, database info and ping, server components and routing. Everything under {@code
   * dbms.*} but components and routing, {@code db.clearQueryCaches}, the procedures that write or
   * change the schema ({@code db.create*}, {@code db.index.vector.createNodeIndex}), {@code
   * db.stats.*}, {@code tx.setMetaData} (it would overwrite the lease's transaction metadata) and
   * every plugin ({@code apoc.*}) stay out.
   */
  public static final Set<String> DEFAULT_PROCEDURE_ALLOWLIST =
      Set.of(
          "db.labels",
          "db.relationshipTypes",
          "db.propertyKeys",
          "db.schema.*",
          "db.index.fulltext.queryNodes",
          "db.index.fulltext.queryRelationships",
          "db.index.fulltext.listAvailableAnalyzers",
          "db.index.fulltext.awaitEventuallyConsistentIndexRefresh",
          "db.index.vector.queryNodes",
          "db.index.vector.queryRelationships",
          "db.awaitIndex",
          "db.awaitIndexes",
          "db.info",
          "db.ping",
          "dbms.components",
          "dbms.routing.getRoutingTable",
          "dbms.cluster.routing.getRoutingTable");

  private static final String NAMESPACE_WILDCARD = ".*";

  /**
   * Checks every field, so a grant with an entry that could never match, or one that would allow
   * everything, is refused when it is configured rather than when a job calls it.
   */
  public Rules {
    Objects.requireNonNull(access, "access");
    if (database == null || database.isBlank()) {
      throw new IllegalArgumentException("a grant names its database");
    }
    procedureAllowlist = Set.copyOf(procedureAllowlist);
    procedureAllowlist.forEach(Rules::checkEntry);
  }

  /** True when {@code dottedName} is on the allowlist, exactly or below a namespace entry. */
  boolean allows(String dottedName) {
    if (procedureAllowlist.contains(dottedName)) {
      return true;
    }
    for (String entry : procedureAllowlist) {
      if (entry.endsWith(NAMESPACE_WILDCARD)
          && dottedName.length() > entry.length() - 1
          && dottedName.startsWith(entry.substring(0, entry.length() - 1))) {
        return true;
      }
    }
    return false;
  }

  private static void checkEntry(String entry) {
    String name =
        entry.endsWith(NAMESPACE_WILDCARD)
            ? entry.substring(0, entry.length() - NAMESPACE_WILDCARD.length())
            : entry;
    if (name.isEmpty()) {
      throw new IllegalArgumentException("an allowlist entry '*' would allow every procedure");
    }
    for (String part : name.split("\\.", -1)) {
      if (part.isEmpty() || !part.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '_')) {
        throw new IllegalArgumentException(
            "allowlist entry '"
                + Names.display(entry)
                + "' is not a dotted name, optionally ending in .*");
      }
    }
  }
}
