package io.neo4jaccess.gitlab;

/**
 * One value read from GitLab's API, or the reason it could not be read. A policy condition that
 * needs an unavailable fact does not hold (fail closed).
 *
 * @param value the value; {@code null} exactly when {@link #unavailable()} is set
 * @param source where the value came from
 * @param unavailable why there is no value (e.g. {@code "timeout"}, {@code "http 500"}), else null
 */
public record Fact<T>(T value, Source source, String unavailable) {

  /** Where a fact came from; shown in decision traces. */
  public enum Source {
    GITLAB,
    CACHE
  }

  public static <T> Fact<T> of(T value, Source source) {
    return new Fact<>(value, source, null);
  }

  public static <T> Fact<T> unavailable(String why) {
    return new Fact<>(null, null, why);
  }

  public boolean available() {
    return unavailable == null;
  }
}
