package io.neo4jaccess.gateway.cypher;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * What a {@code LOAD CSV} URL reaches. Neo4j reads the URL with {@link URI} (a leading space or a
 * {@code url:} prefix makes it fail there), so the scheme it would use is the one {@link URI}
 * finds, in any case: {@code FILE:/etc/passwd} is a file.
 */
final class CsvUrls {

  /** Where a URL leads. */
  enum Reach {
    /** {@code file:}: the database server's own file system. */
    FILE,
    /** {@code http:} or {@code https:}. */
    REMOTE,
    /** Any other scheme, or text that is not a URL. */
    OTHER
  }

  private CsvUrls() {}

  static Reach reach(String url) {
    String scheme;
    try {
      scheme = new URI(url).getScheme();
    } catch (URISyntaxException e) {
      return Reach.OTHER;
    }
    if (scheme == null) {
      return Reach.OTHER;
    }
    return switch (scheme.toLowerCase(Locale.ROOT)) {
      case "file" -> Reach.FILE;
      case "http", "https" -> Reach.REMOTE;
      default -> Reach.OTHER;
    };
  }
}
