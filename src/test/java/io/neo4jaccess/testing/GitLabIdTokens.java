package io.neo4jaccess.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A GitLab instance's ID tokens, without the instance: an RSA signing key whose {@code kid} is its
 * JWK thumbprint (as GitLab's is), the claim set GitLab puts in a push pipeline job's token, and
 * RS256 signing. {@link GitLabStandIn} serves the key over HTTP; plain tests use it directly.
 */
public final class GitLabIdTokens {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  private final String issuer;
  // Ids as large as GitLab.com's, each token a job of its own pipeline unless a test says
  // otherwise. Every instance counts from its own random start, as two real instances do not
  // share ids.
  private final AtomicLong jobIds =
      new AtomicLong(8_000_000_000L + ThreadLocalRandom.current().nextLong(1_000_000_000L));
  private final AtomicLong pipelineIds =
      new AtomicLong(1_500_000_000L + ThreadLocalRandom.current().nextLong(500_000_000L));
  private volatile KeyPair keys;
  private volatile String kid;

  /** Tokens whose {@code iss} is {@code issuer}, signed with a fresh key. */
  public GitLabIdTokens(String issuer) {
    this.issuer = issuer;
    rotateKey();
  }

  /** Replaces the signing key, as a GitLab key rotation would; the old kid is gone. */
  public void rotateKey() {
    try {
      KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
      gen.initialize(2048);
      KeyPair next = gen.generateKeyPair();
      kid = thumbprint((RSAPublicKey) next.getPublic());
      keys = next;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  public RSAPublicKey publicKey() {
    return (RSAPublicKey) keys.getPublic();
  }

  public PrivateKey privateKey() {
    return keys.getPrivate();
  }

  public String kid() {
    return kid;
  }

  /** The claims GitLab would put in a push pipeline's job token, with the given overrides. */
  public Map<String, Object> claims(String audience, Map<String, ?> overrides) {
    long now = Instant.now().getEpochSecond();
    String jobId = String.valueOf(jobIds.incrementAndGet());
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("namespace_id", "72");
    c.put("namespace_path", "demo");
    c.put("project_id", "22");
    c.put("project_path", "demo/app");
    c.put("job_namespace_id", "72");
    c.put("job_namespace_path", "demo");
    c.put("job_project_id", "22");
    c.put("job_project_path", "demo/app");
    c.put("user_id", "42");
    c.put("user_login", "alice");
    c.put("user_email", "alice@example.com");
    c.put("user_access_level", "maintainer");
    c.put("pipeline_id", String.valueOf(pipelineIds.incrementAndGet()));
    c.put("pipeline_source", "push");
    c.put("job_id", jobId);
    c.put("ref", "main");
    c.put("ref_type", "branch");
    c.put("ref_path", "refs/heads/main");
    c.put("ref_protected", "true");
    c.put("runner_id", 7);
    c.put("runner_environment", "self-hosted");
    c.put("sha", "5f923865dde3436854e9ceb9cdb7815618d4e849");
    c.put("project_visibility", "private");
    c.put("ci_config_ref_uri", "gitlab.example.com/demo/app//.gitlab-ci.yml@refs/heads/main");
    c.put("ci_config_sha", "5f923865dde3436854e9ceb9cdb7815618d4e849");
    c.put("jti", UUID.randomUUID().toString());
    c.put("iss", issuer);
    c.put("iat", now);
    c.put("nbf", now - 5);
    c.put("exp", now + 3600);
    c.put("sub", "project_path:demo/app:ref_type:branch:ref:main");
    c.put("aud", audience);
    c.putAll(overrides);
    c.values().removeIf(v -> v == null);
    return c;
  }

  /** A valid ID token for a job, signed RS256 with the current key. */
  public String mint(String audience, Map<String, ?> overrides) {
    return sign(header(), claims(audience, overrides));
  }

  public Map<String, Object> header() {
    Map<String, Object> h = new LinkedHashMap<>();
    h.put("kid", kid);
    h.put("typ", "JWT");
    h.put("alg", "RS256");
    return h;
  }

  /** Signs any header and payload with the current key: for tokens GitLab would never send. */
  public String sign(Map<String, ?> header, Map<String, ?> payload) {
    try {
      return signRaw(JSON.writeValueAsString(header), JSON.writeValueAsString(payload));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public String signRaw(String headerJson, String payloadJson) {
    String input = b64(headerJson) + "." + b64(payloadJson);
    try {
      Signature s = Signature.getInstance("SHA256withRSA");
      s.initSign(keys.getPrivate());
      s.update(input.getBytes(StandardCharsets.US_ASCII));
      return input + "." + B64.encodeToString(s.sign());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  public static String b64(String json) {
    return B64.encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }

  /** The public key as GitLab lists it under {@code jwks_uri}. */
  public Map<String, Object> jwk() {
    RSAPublicKey key = publicKey();
    Map<String, Object> jwk = new LinkedHashMap<>();
    jwk.put("kty", "RSA");
    jwk.put("kid", kid);
    jwk.put("e", unsigned(key.getPublicExponent()));
    jwk.put("n", unsigned(key.getModulus()));
    jwk.put("use", "sig");
    jwk.put("alg", "RS256");
    return jwk;
  }

  /** The JWK thumbprint (RFC 7638), which GitLab uses as {@code kid}. */
  private static String thumbprint(RSAPublicKey key) throws Exception {
    String canonical =
        "{\"e\":\""
            + unsigned(key.getPublicExponent())
            + "\",\"kty\":\"RSA\",\"n\":\""
            + unsigned(key.getModulus())
            + "\"}";
    return B64.encodeToString(
        MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8)));
  }

  private static String unsigned(BigInteger n) {
    byte[] b = n.toByteArray();
    if (b[0] == 0) {
      b = Arrays.copyOfRange(b, 1, b.length);
    }
    return B64.encodeToString(b);
  }
}
