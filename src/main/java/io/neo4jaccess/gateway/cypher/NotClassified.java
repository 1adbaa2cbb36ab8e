package io.neo4jaccess.gateway.cypher;

/**
 * Ends the analysis of a text that cannot be classified further (unparsable, unrecognised), from
 * wherever in the parse or the walk that is found.
 */
final class NotClassified extends RuntimeException {

  private final transient Analysis analysis;

  NotClassified(Analysis.Shape shape, String subject) {
    super(subject, null, false, false);
    this.analysis = Analysis.refused(shape, subject);
  }

  Analysis analysis() {
    return analysis;
  }
}
