package io.neo4jaccess.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every ID token and issued password a test sees, so that the logs can be searched for them
 * afterwards: in the test that saw them ({@link #leakedInto}) and for the whole suite by {@code
 * chaos/no-leaks}, which reads {@code target/secrets-seen.txt} (one secret a line).
 */
public final class SecretsSeen {

  /** Where the test profile's log file is written (see application.properties, %test). */
  public static final Path TEST_LOG = Path.of("target", "quarkus-test.log");

  public static final Path FILE = Path.of("target", "secrets-seen.txt");
  private static final Set<String> SEEN = ConcurrentHashMap.newKeySet();

  private SecretsSeen() {}

  /** Remembers a secret; blank or very short values are ignored (they would match anything). */
  public static void record(String secret) {
    if (secret == null || secret.strip().length() < 16 || !SEEN.add(secret)) {
      return;
    }
    // One line each: tokens and passwords are base64url, so no secret contains a newline.
    synchronized (SecretsSeen.class) {
      try {
        Files.createDirectories(FILE.getParent());
        Files.writeString(
            FILE,
            secret + "\n",
            StandardCharsets.UTF_8,
            StandardOpenOption.CREATE,
            StandardOpenOption.APPEND);
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  /** Every secret recorded in this JVM so far. */
  public static java.util.Set<String> all() {
    return java.util.Set.copyOf(SEEN);
  }

  /** The given secrets that occur in the file's text; empty when nothing leaked. */
  public static List<String> leakedInto(Path log, Iterable<String> secrets) {
    String text;
    try {
      text = Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    List<String> leaked = new ArrayList<>();
    for (String s : secrets) {
      if (text.contains(s)) {
        leaked.add(s.substring(0, 6) + "…");
      }
    }
    return leaked;
  }
}
