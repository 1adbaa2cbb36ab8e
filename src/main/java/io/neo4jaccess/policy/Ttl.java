package io.neo4jaccess.policy;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Lease lifetimes as people write them, {@code 90s}, {@code 15m}, {@code 1h}: in the policy, in a
 * request body and in the component's {@code ttl} input, which all accept exactly this form.
 */
public final class Ttl {

  private static final Pattern FORM = Pattern.compile("([1-9][0-9]{0,5})(s|m|h)");

  private Ttl() {}

  /**
   * Parses a TTL.
   *
   * @param where the rule (or "request") that gave the value, for the error message
   * @throws PolicyException when the value is not of the form {@code <1-999999><s|m|h>}
   */
  public static Duration parse(String where, Object value) {
    Matcher m = value instanceof String s ? FORM.matcher(s) : null;
    if (m == null || !m.matches()) {
      throw new PolicyException(where + " field 'grant.ttl': must look like 90s, 15m or 1h");
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      default -> Duration.ofHours(n);
    };
  }

  /** The duration in the largest unit that shows it exactly: {@code 600s} is {@code 10m}. */
  public static String format(Duration ttl) {
    long seconds = ttl.toSeconds();
    if (seconds % 3600 == 0) {
      return seconds / 3600 + "h";
    }
    return seconds % 60 == 0 ? seconds / 60 + "m" : seconds + "s";
  }
}
