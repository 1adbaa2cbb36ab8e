package io.neo4jaccess.gateway.cypher;

/** The classifier's answer for one execution of one statement under one grant. */
public sealed interface Verdict {

  /** The statement may be passed to Neo4j. */
  Verdict ALLOWED = new Allowed();

  boolean allowed();

  /** Passed on unchanged. */
  record Allowed() implements Verdict {
    @Override
    public boolean allowed() {
      return true;
    }
  }

  /**
   * Refused before anything reaches Neo4j.
   *
   * @param rule the stable code of the rule the statement broke
   * @param reason one sentence naming what was refused, for the job's own client: it may quote
   *     names from the query (procedure, function, database), bounded and with control characters
   *     replaced, but never a literal or parameter value. Audits and logs keep {@code rule}.
   */
  record Refused(Refusal rule, String reason) implements Verdict {
    @Override
    public boolean allowed() {
      return false;
    }
  }
}
