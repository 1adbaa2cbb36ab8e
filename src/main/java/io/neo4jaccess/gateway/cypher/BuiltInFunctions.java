package io.neo4jaccess.gateway.cypher;

import java.util.Locale;
import java.util.Set;

/**
 * Functions that ship with Neo4j. Neo4j refuses to register a user-defined function in the root
 * namespace, so every function without a namespace is built in; the namespaced built-ins are listed
 * here as Neo4j 5.26 reports them ({@code SHOW FUNCTIONS}), plus {@code db.nameFromElementId} of
 * later releases. Built-in names resolve whatever their case, so they are compared in lower case.
 */
final class BuiltInFunctions {

  static final Set<String> NAMESPACED =
      Set.of(
          "date.realtime",
          "date.statement",
          "date.transaction",
          "date.truncate",
          "datetime.fromepoch",
          "datetime.fromepochmillis",
          "datetime.realtime",
          "datetime.statement",
          "datetime.transaction",
          "datetime.truncate",
          "db.namefromelementid",
          "duration.between",
          "duration.indays",
          "duration.inmonths",
          "duration.inseconds",
          "graph.byelementid",
          "graph.byname",
          "localdatetime.realtime",
          "localdatetime.statement",
          "localdatetime.transaction",
          "localdatetime.truncate",
          "localtime.realtime",
          "localtime.statement",
          "localtime.transaction",
          "localtime.truncate",
          "point.distance",
          "point.withinbbox",
          "time.realtime",
          "time.statement",
          "time.transaction",
          "time.truncate",
          "vector.similarity.cosine",
          "vector.similarity.euclidean");

  private BuiltInFunctions() {}

  static boolean contains(String dottedName) {
    return dottedName.indexOf('.') < 0 || NAMESPACED.contains(dottedName.toLowerCase(Locale.ROOT));
  }
}
