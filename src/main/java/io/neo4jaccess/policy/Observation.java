package io.neo4jaccess.policy;

/**
 * The value a condition is compared with, and where it came from.
 *
 * @param value the observed value (a String, Long, Boolean, Integer, or a List of them)
 * @param shown how the trace shows it
 * @param source {@code token}, {@code gitlab}, {@code cache} or a combination
 * @param unavailable why the value could not be read, or null
 * @param verdict a pre-decided result where the comparison is not a plain one (token and GitLab
 *     disagreeing), or null
 */
record Observation(
    Object value, Object shown, String source, String unavailable, Decision.Result verdict) {

  static Observation token(Object value) {
    return new Observation(value, value, "token", null, null);
  }

  static Observation unavailable(String source, String why) {
    return new Observation(null, "unavailable: " + why, source, why, Decision.Result.UNAVAILABLE);
  }

  static Observation failed(Object shown, String source) {
    return new Observation(null, shown, source, null, Decision.Result.FAILED);
  }
}
