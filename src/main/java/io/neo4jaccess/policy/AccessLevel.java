package io.neo4jaccess.policy;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** GitLab's access levels, by the numbers its API uses (docs: api/access_requests.md). */
public enum AccessLevel {
  GUEST(10),
  PLANNER(15),
  REPORTER(20),
  DEVELOPER(30),
  MAINTAINER(40),
  OWNER(50),
  ADMIN(60);

  private final int value;

  AccessLevel(int value) {
    this.value = value;
  }

  public int value() {
    return value;
  }

  public static Optional<AccessLevel> named(String name) {
    return Arrays.stream(values())
        .filter(l -> l.name().toLowerCase(Locale.ROOT).equals(name))
        .findFirst();
  }

  /** The level's name for a number GitLab sends, or the number itself when it names none. */
  static String of(int value) {
    return Arrays.stream(values())
        .filter(l -> l.value == value)
        .map(AccessLevel::label)
        .findFirst()
        .orElse(Integer.toString(value));
  }

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
