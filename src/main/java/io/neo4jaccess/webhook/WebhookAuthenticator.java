package io.neo4jaccess.webhook;

import io.neo4jaccess.gitlab.GitLabConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jboss.logging.Logger;

/**
 * Decides which configured GitLab instance sent a webhook, as a checklist:
 *
 * <ol>
 *   <li>Candidates: the instance named by {@code X-Gitlab-Instance} when GitLab sends it (an
 *       unknown name matches nothing), else every configured instance.
 *   <li>Per candidate: a Standard-Webhooks signature, when the instance has a signing secret and
 *       the request carries {@code webhook-signature}, decides alone: {@code v1,<base64 HMAC-SHA256
 *       of "id.timestamp.body">} with the timestamp within the tolerance. Otherwise {@code
 *       X-Gitlab-Token} must equal the instance's webhook secret.
 *   <li>Exactly one candidate must accept; none or several (two instances sharing a secret) is a
 *       refusal.
 * </ol>
 *
 * Secrets are compared in constant time: SHA-256 digests (equal length whatever was sent) with
 * {@link MessageDigest#isEqual}, and every candidate is checked, not only up to the first match.
 * Nothing here logs a token, a signature or a secret.
 */
@ApplicationScoped
public class WebhookAuthenticator {

  private static final Logger LOG = Logger.getLogger(WebhookAuthenticator.class);
  private static final String SIGNING_PREFIX = "whsec_";

  /** What GitLab sent that bears on authentication. Values may be null. */
  public record Presented(
      String instanceHeader,
      String token,
      String webhookId,
      String webhookTimestamp,
      String webhookSignature) {}

  private record Sender(String name, List<String> names, byte[] tokenDigest, byte[] signingKey) {}

  private final List<Sender> instances = new ArrayList<>();
  private final Duration tolerance;
  private final Clock clock;

  @Inject
  public WebhookAuthenticator(GitLabConfig gitlab, WebhookConfig config, Clock clock) {
    this.tolerance = config.signatureTolerance();
    this.clock = clock;
    gitlab
        .instances()
        .forEach(
            (name, i) ->
                instances.add(
                    new Sender(
                        name,
                        names(i),
                        i.webhookSecret()
                            .filter(s -> !s.isBlank())
                            .map(WebhookAuthenticator::sha256)
                            .orElse(null),
                        i.signingSecret().map(s -> signingKey(name, s)).orElse(null))));
  }

  /** True when at least one instance can authenticate webhooks at all. */
  public boolean configured() {
    return instances.stream().anyMatch(i -> i.tokenDigest != null || i.signingKey != null);
  }

  /**
   * @return the name of the one instance that sent this delivery, or empty when it is not authentic
   */
  public Optional<String> authenticate(Presented c, byte[] body) {
    List<Sender> candidates = instances;
    if (c.instanceHeader() != null && !c.instanceHeader().isBlank()) {
      String sent = normalise(c.instanceHeader());
      candidates = instances.stream().filter(i -> i.names.contains(sent)).toList();
    }
    byte[] tokenDigest = c.token() == null ? null : sha256(c.token());
    List<String> accepted = new ArrayList<>();
    for (Sender i : candidates) {
      if (accepts(i, c, tokenDigest, body)) {
        accepted.add(i.name);
      }
    }
    if (accepted.size() > 1) {
      LOG.warnf("webhook matches several instances' secrets, refused: instances=%s", accepted);
      return Optional.empty();
    }
    return accepted.stream().findFirst();
  }

  private boolean accepts(Sender i, Presented c, byte[] tokenDigest, byte[] body) {
    if (i.signingKey != null && c.webhookSignature() != null) {
      return signatureValid(i.signingKey, c, body);
    }
    return i.tokenDigest != null
        && tokenDigest != null
        && MessageDigest.isEqual(i.tokenDigest, tokenDigest);
  }

  /** Standard Webhooks: any of the space-separated {@code v1,<base64>} entries may match. */
  private boolean signatureValid(byte[] key, Presented c, byte[] body) {
    if (c.webhookId() == null || c.webhookTimestamp() == null) {
      return false;
    }
    long seconds;
    try {
      seconds = Long.parseLong(c.webhookTimestamp().trim());
    } catch (NumberFormatException e) {
      return false;
    }
    Instant sent = Instant.ofEpochSecond(seconds);
    if (Duration.between(sent, clock.instant()).abs().compareTo(tolerance) > 0) {
      return false;
    }
    byte[] expected = hmac(key, c.webhookId(), c.webhookTimestamp().trim(), body);
    boolean match = false;
    for (String entry : c.webhookSignature().trim().split(" +")) {
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

  /** The HMAC key of a {@code whsec_<base64>} secret; refuses to start on a malformed one. */
  static byte[] signingKey(String instance, String secret) {
    String s = secret.strip();
    if (!s.startsWith(SIGNING_PREFIX)) {
      throw new IllegalStateException(
          "broker.gitlab.instances." + instance + ".signing-secret must look like whsec_<base64>");
    }
    try {
      byte[] key = Base64.getDecoder().decode(s.substring(SIGNING_PREFIX.length()));
      if (key.length < 16) {
        throw new IllegalArgumentException("too short");
      }
      return key;
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(
          "broker.gitlab.instances."
              + instance
              + ".signing-secret is not whsec_ followed by base64 of at least 16 bytes");
    }
  }

  /** Names GitLab may send in {@code X-Gitlab-Instance} for this instance. */
  private static List<String> names(GitLabConfig.Instance i) {
    Map<String, Boolean> names = new LinkedHashMap<>();
    i.instanceHeader().map(WebhookAuthenticator::normalise).ifPresent(n -> names.put(n, true));
    names.put(normalise(i.url()), true);
    try {
      String host = URI.create(i.url()).getHost();
      if (host != null) {
        names.put(normalise(host), true);
      }
    } catch (IllegalArgumentException e) {
      // the URL is validated where it is used for tokens; here it only adds a name
    }
    return List.copyOf(names.keySet());
  }

  private static String normalise(String name) {
    return name.strip().replaceAll("/+$", "").toLowerCase(Locale.ROOT);
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
