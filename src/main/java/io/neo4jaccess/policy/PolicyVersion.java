package io.neo4jaccess.policy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Which policy decided: the SHA-256 of its text, which no edit leaves unchanged, and the {@code
 * version:} the policy may declare for people (a release, a date, a merge request).
 *
 * @param sha256 the SHA-256 of the policy's text (UTF-8), as 64 lower-case hex digits
 * @param declared the policy's top-level {@code version:}, or null when it declares none
 */
public record PolicyVersion(String sha256, String declared) {

  /** The version of a policy with this text. */
  static PolicyVersion of(String text, String declared) {
    return new PolicyVersion(sha256(text), declared);
  }

  static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  /** The declared version, or the empty string: for metric labels, which cannot be null. */
  public String declaredOrEmpty() {
    return declared == null ? "" : declared;
  }

  /** For logs and tables: {@code 2024-06 (sha256 3f2a9c1b4e5d)} or {@code sha256 3f2a9c1b4e5d}. */
  @Override
  public String toString() {
    String hash = "sha256 " + sha256.substring(0, 12);
    return declared == null ? hash : declared + " (" + hash + ")";
  }
}
