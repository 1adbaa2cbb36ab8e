package io.neo4jaccess.webhook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.OptionalLong;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Standard-Webhooks signatures as newer GitLab sends them (behind the {@code webhook_signing_token}
 * feature flag): {@code webhook-signature: v1,<base64 HMAC-SHA256 of "id.timestamp.body">} keyed
 * with the {@code whsec_<base64>} secret, {@code webhook-timestamp} in whole seconds.
 */
final class StandardSignature {

  private static final String SECRET_PREFIX = "whsec_";

  /**
   * Digits a timestamp may have: seconds until the year 33658. Anything longer is not a time GitLab
   * sends, and bounding it keeps every later computation in range.
   */
  private static final int MAX_TIMESTAMP_DIGITS = 12;

  private StandardSignature() {}

  /**
   * True when one of the space-separated {@code v1,<base64>} entries is the HMAC of this delivery
   * and its timestamp is within {@code tolerance} of {@code now}, either way. Compares in constant
   * time and checks every entry.
   */
  static boolean valid(
      byte[] key,
      String id,
      String timestamp,
      String signature,
      byte[] body,
      Instant now,
      Duration tolerance) {
    if (id == null || signature == null) {
      return false;
    }
    OptionalLong sent = epochSeconds(timestamp);
    if (sent.isEmpty()
        || Math.abs(now.getEpochSecond() - sent.getAsLong()) > tolerance.toSeconds()) {
      return false;
    }
    byte[] expected = hmac(key, id, timestamp, body);
    boolean match = false;
    for (String entry : signature.strip().split(" +")) {
      if (!entry.startsWith("v1,")) {
        continue;
      }
      byte[] given;
      try {
        given = Base64.getDecoder().decode(entry.substring(3));
      } catch (IllegalArgumentException e) {
        continue;
      }
      match |= MessageDigest.isEqual(expected, given);
    }
    return match;
  }

  /**
   * The seconds a {@code webhook-timestamp} names, or empty unless it is 1 to {@value
   * #MAX_TIMESTAMP_DIGITS} ASCII digits: no sign, fraction, exponent, space or other script's
   * digits, all of which {@link Long#parseLong} would partly accept.
   */
  static OptionalLong epochSeconds(String timestamp) {
    if (timestamp == null
        || timestamp.isEmpty()
        || timestamp.length() > MAX_TIMESTAMP_DIGITS
        || !timestamp.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return OptionalLong.empty();
    }
    return OptionalLong.of(Long.parseLong(timestamp));
  }

  /** HMAC-SHA256 over {@code id.timestamp.body}, the body as the exact bytes received. */
  static byte[] hmac(byte[] key, String id, String timestamp, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
      return mac.doFinal(body);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The HMAC key of a {@code whsec_<base64>} secret.
   *
   * @param key the configuration key, for the refusal message (never the secret)
   * @throws IllegalStateException on a malformed secret: the broker refuses to start
   */
  static byte[] key(String key, String secret) {
    String s = secret.strip();
    if (!s.startsWith(SECRET_PREFIX)) {
      throw new IllegalStateException(key + " must look like whsec_<base64>");
    }
    try {
      byte[] bytes = Base64.getDecoder().decode(s.substring(SECRET_PREFIX.length()));
      if (bytes.length < 16) {
        throw new IllegalArgumentException("too short");
      }
      return bytes;
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(
          key + " is not whsec_ followed by base64 of at least 16 bytes");
    }
  }
}
