package io.neo4jaccess.lease;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/** Random names and secrets for leases and job users. */
public final class Secrets {

  private static final SecureRandom RANDOM = new SecureRandom();

  private Secrets() {}

  /** 256 bits, base64url: far above the 128 bits asked for and Neo4j's 8-character minimum. */
  public static String password() {
    return random(32);
  }

  /** 128 bits: the lease id is a capability for its summary page, so it must not be guessable. */
  public static String leaseId() {
    return random(16);
  }

  /** Prefix + project + job + a random suffix, so that a retried exchange never collides. */
  public static String username(String prefix, long projectId, long jobId) {
    byte[] suffix = new byte[4];
    RANDOM.nextBytes(suffix);
    return prefix + projectId + "_" + jobId + "_" + HexFormat.of().formatHex(suffix);
  }

  /**
   * The SHA-256 of a password, hex: what a pooled lease stores in its place. A plain hash is safe
   * for a random 256-bit secret, which no dictionary holds and no search can reach.
   */
  public static String sha256(String password) {
    return HexFormat.of().formatHex(digest(password));
  }

  /** The SHA-256 of a password's UTF-8 bytes. */
  public static byte[] digest(String password) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(password.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 unavailable", e);
    }
  }

  private static String random(int bytes) {
    byte[] b = new byte[bytes];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }
}
