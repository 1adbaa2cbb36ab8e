package io.neo4jaccess.lease;

import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Authenticates leases: an HMAC-SHA256 over the fields a revocation acts on, under keys that live
 * only in the broker's configuration ({@code broker.lease.mac-keys}). Written with the lease at
 * birth and verified before the broker acts on it, so that a lease written into the state store by
 * anyone else, or altered since, is never acted on. The first key seals; every key verifies, for
 * rotation. Created at start: without a key the broker does not start.
 */
@Startup
@ApplicationScoped
public class LeaseSeal {

  static final int MIN_KEY_LENGTH = 32;
  private static final String ALGORITHM = "HmacSHA256";
  private static final byte[] VERSION =
      "neo4j-access lease seal v1".getBytes(StandardCharsets.UTF_8);

  /** Seals that also cover the grant's scope; leases issued before scopes were sealed are v1. */
  private static final byte[] VERSION_WITH_SCOPE =
      "neo4j-access lease seal v2".getBytes(StandardCharsets.UTF_8);

  /** Seals that also cover a pooled lease's upstream (mode and password hash). */
  private static final byte[] VERSION_POOLED =
      "neo4j-access lease seal v3".getBytes(StandardCharsets.UTF_8);

  private final List<SecretKeySpec> keys;

  @Inject
  LeaseSeal(LeaseConfig config) {
    this(keys(config));
  }

  /**
   * @param keys the first seals, all verify; each at least {@value #MIN_KEY_LENGTH} characters
   */
  public LeaseSeal(List<String> keys) {
    if (keys.isEmpty()) {
      throw new IllegalStateException(
          "no lease key: set broker.lease.mac-keys or broker.lease.mac-keys-file (at least "
              + MIN_KEY_LENGTH
              + " random characters, e.g. openssl rand -base64 32)");
    }
    for (int i = 0; i < keys.size(); i++) {
      if (keys.get(i).length() < MIN_KEY_LENGTH) {
        throw new IllegalStateException(
            "lease key #" + (i + 1) + " is shorter than " + MIN_KEY_LENGTH + " characters");
      }
    }
    this.keys =
        keys.stream()
            .map(k -> new SecretKeySpec(k.getBytes(StandardCharsets.UTF_8), ALGORITHM))
            .toList();
  }

  private static List<String> keys(LeaseConfig config) {
    if (config.macKeysFile().isPresent()) {
      try {
        return Files.readAllLines(config.macKeysFile().get()).stream()
            .map(String::strip)
            .filter(line -> !line.isEmpty())
            .toList();
      } catch (IOException e) {
        throw new IllegalStateException("cannot read broker.lease.mac-keys-file");
      }
    }
    return config.macKeys().orElse(List.of()).stream().filter(k -> !k.isBlank()).toList();
  }

  /**
   * What a seal covers: the lease, the job holding it (as the state graph links them), the user and
   * target a revocation acts on, its lifetime, and what it grants (the database and rights the
   * gateway enforces). A null stands for a field the stored lease lacks or holds with the wrong
   * type; such a lease is never genuine. Only {@code scope} may be null: leases issued before
   * scopes were sealed have none, and their seals do not cover it. {@code upstream} is null for a
   * lease with a Neo4j user of its own; for a pooled lease it is {@code pooled:<password hash>},
   * and its seal (v3) covers it.
   */
  public record Fields(
      String leaseId,
      String instance,
      Long projectId,
      Long jobId,
      String target,
      String username,
      Instant issuedAt,
      Instant expiresAt,
      String scope,
      String upstream) {

    /** A lease issued before scopes were sealed. */
    public Fields(
        String leaseId,
        String instance,
        Long projectId,
        Long jobId,
        String target,
        String username,
        Instant issuedAt,
        Instant expiresAt) {
      this(leaseId, instance, projectId, jobId, target, username, issuedAt, expiresAt, null, null);
    }

    static Fields of(Lease lease) {
      return new Fields(
          lease.id(),
          lease.job().instance(),
          lease.job().project().id(),
          lease.job().id(),
          lease.granted().target(),
          lease.granted().username(),
          lease.times().issuedAt(),
          lease.times().expiresAt(),
          lease.granted().scope(),
          lease.granted().upstream());
    }

    boolean complete() {
      return leaseId != null
          && instance != null
          && projectId != null
          && jobId != null
          && target != null
          && username != null
          && issuedAt != null
          && expiresAt != null;
    }
  }

  /** The seal of a lease about to be written, base64url, with the first key. */
  public String seal(Fields fields) {
    if (!fields.complete()) {
      throw new IllegalArgumentException("a lease to seal lacks a field");
    }
    return Base64.getUrlEncoder().withoutPadding().encodeToString(mac(keys.get(0), fields));
  }

  /**
   * True when {@code seal} is the seal of {@code fields} under one of the keys, compared in
   * constant time; false for anything else, including a missing or malformed seal.
   */
  public boolean genuine(Fields fields, String seal) {
    if (seal == null || !fields.complete()) {
      return false;
    }
    byte[] given;
    try {
      given = Base64.getUrlDecoder().decode(seal);
    } catch (IllegalArgumentException e) {
      return false;
    }
    boolean genuine = false;
    for (SecretKeySpec key : keys) {
      genuine |= MessageDigest.isEqual(mac(key, fields), given);
    }
    return genuine;
  }

  private static byte[] version(Fields f) {
    if (f.upstream() != null) {
      return VERSION_POOLED;
    }
    return f.scope() == null ? VERSION : VERSION_WITH_SCOPE;
  }

  /**
   * A secret derived from the first key for {@code purpose}: HMAC-SHA256 of the purpose, which
   * every replica with the same first key computes alike and nobody without it can.
   */
  public byte[] derive(String purpose) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(keys.get(0));
      mac.update("neo4j-access derived secret v1|".getBytes(StandardCharsets.UTF_8));
      return mac.doFinal(purpose.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }

  /** Each field length-prefixed, so that no two different leases give the same input. */
  private static byte[] mac(SecretKeySpec key, Fields f) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(key);
      mac.update(version(f));
      List<String> fields =
          new ArrayList<>(
              List.of(
                  f.leaseId(),
                  f.instance(),
                  Long.toString(f.projectId()),
                  Long.toString(f.jobId()),
                  f.target(),
                  f.username(),
                  Long.toString(f.issuedAt().toEpochMilli()),
                  Long.toString(f.expiresAt().toEpochMilli())));
      if (f.scope() != null) {
        fields.add(f.scope());
      }
      if (f.upstream() != null) {
        fields.add(f.upstream());
      }
      for (String field : fields) {
        byte[] bytes = field.getBytes(StandardCharsets.UTF_8);
        mac.update(ByteBuffer.allocate(Integer.BYTES).putInt(bytes.length).array());
        mac.update(bytes);
      }
      return mac.doFinal();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }
}
