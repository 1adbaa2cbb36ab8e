package io.neo4jaccess.gateway.cypher;

import io.neo4jaccess.gateway.cypher.Analysis.Shape;
import io.neo4jaccess.gateway.cypher.Rules.Access;
import io.neo4jaccess.gateway.cypher.Verdict.Refused;
import java.util.Map;

/**
 * Applies one grant's rules to what a statement does, as a checklist: the first rule broken
 * decides, in this order: what cannot be classified, administration, where the statement runs, what
 * it calls, whether it may change the schema or write, and what it loads.
 */
final class Judge {

  private Judge() {}

  static Verdict judge(Analysis analysis, Rules rules, Map<String, ?> parameters) {
    String subject = analysis.subject();
    switch (analysis.shape()) {
      case UNPARSABLE -> {
        return refuse(Refusal.UNPARSABLE, "The statement is not valid Cypher 5: " + subject + ".");
      }
      case UNRECOGNISED -> {
        return refuse(
            Refusal.UNRECOGNISED,
            "The statement holds " + subject + ", which the gateway does not recognise.");
      }
      case MULTIPLE_STATEMENTS -> {
        return refuse(
            Refusal.MULTIPLE_STATEMENTS,
            "The query holds " + subject + "; send one statement per query.");
      }
      case ADMINISTRATION -> {
        return refuse(
            Refusal.ADMINISTRATION,
            subject + " is an administration command, which no grant may run.");
      }
      case QUERY, LISTING, SCHEMA -> {
        // judged on what they do, below
      }
    }
    for (String target : analysis.useTargets()) {
      if (!target.equalsIgnoreCase(rules.database())) {
        return refuse(
            Refusal.USE_OTHER_DATABASE,
            "USE "
                + Names.display(target)
                + " leaves the granted database "
                + Names.display(rules.database())
                + ".");
      }
    }
    for (String procedure : analysis.procedures()) {
      if (!rules.allows(procedure)) {
        return refuse(
            Refusal.PROCEDURE_NOT_ALLOWED,
            "Procedure " + Names.display(procedure) + " is not on this grant's allowlist.");
      }
    }
    for (String function : analysis.functions()) {
      if (!BuiltInFunctions.contains(function) && !rules.allows(function)) {
        return refuse(
            Refusal.FUNCTION_NOT_ALLOWED,
            "Function "
                + Names.display(function)
                + " is neither built in nor on this grant's allowlist.");
      }
    }
    if (analysis.shape() == Shape.SCHEMA && rules.access() == Access.READ) {
      return refuse(
          Refusal.WRITE_ON_READ_GRANT, subject + " changes the schema, and this grant only reads.");
    }
    if (analysis.shape() == Shape.SCHEMA && !rules.schemaAllowed()) {
      return refuse(
          Refusal.SCHEMA_CHANGE, subject + " changes the schema, which this grant does not allow.");
    }
    if (!analysis.writes().isEmpty() && rules.access() == Access.READ) {
      return refuse(
          Refusal.WRITE_ON_READ_GRANT,
          analysis.writes().get(0) + " writes, and this grant only reads.");
    }
    for (CsvSource source : analysis.csvSources()) {
      Verdict verdict = csvSource(source, rules, parameters);
      if (!verdict.allowed()) {
        return verdict;
      }
    }
    return Verdict.ALLOWED;
  }

  private static Verdict csvSource(CsvSource source, Rules rules, Map<String, ?> parameters) {
    String url;
    if (source instanceof CsvSource.Url literal) {
      url = literal.url();
    } else if (source instanceof CsvSource.Parameter parameter
        && parameters.get(parameter.name()) instanceof CharSequence value) {
      url = value.toString();
    } else if (source instanceof CsvSource.Parameter parameter) {
      return refuse(
          Refusal.LOAD_CSV_DYNAMIC_URL,
          "LOAD CSV FROM $" + Names.display(parameter.name()) + " needs that parameter, as text.");
    } else {
      return refuse(
          Refusal.LOAD_CSV_DYNAMIC_URL,
          "LOAD CSV from a computed URL cannot be checked; give the URL as a literal or a parameter.");
    }
    return switch (CsvUrls.reach(url)) {
      case FILE ->
          refuse(
              Refusal.LOAD_CSV_FILE_URL,
              "LOAD CSV from a file: URL would read the database server's own files.");
      case REMOTE ->
          rules.remoteCsvAllowed()
              ? Verdict.ALLOWED
              : refuse(
                  Refusal.LOAD_CSV_REMOTE_URL,
                  "LOAD CSV from a remote URL is not allowed by this grant.");
      case OTHER -> refuse(Refusal.LOAD_CSV_URL_SCHEME, "LOAD CSV reads https and http URLs only.");
    };
  }

  private static Verdict refuse(Refusal rule, String reason) {
    return new Refused(rule, reason);
  }
}
