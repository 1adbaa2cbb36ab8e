package io.neo4jaccess.webhook;

import io.neo4jaccess.gitlab.GitLabConfig;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * One webhook the broker accepts deliveries from, as configured: the GitLab instance it belongs to,
 * how it authenticates (a secret token's SHA-256 and/or a signing key), and what it may speak for.
 * Built once at start; a configuration that could never work, or would speak for more than it says,
 * refuses to start.
 *
 * @param name the hook's configured name, or {@link #INSTANCE_WIDE} for the instance's own secrets
 * @param senderNames what GitLab may send in {@code X-Gitlab-Instance} for its instance
 * @param tokenDigest SHA-256 of the secret token, or null when the hook has none
 * @param signingKey the Standard-Webhooks HMAC key, or null when the hook has none
 * @param signatureRequired a delivery must be signed; {@code X-Gitlab-Token} alone is refused
 */
record Hook(
    String instance,
    String name,
    Set<String> senderNames,
    byte[] tokenDigest,
    byte[] signingKey,
    boolean signatureRequired,
    HookScope scope) {

  /** The name log lines give the hook made of an instance's own {@code webhook-secret}. */
  static final String INSTANCE_WIDE = "(instance-wide)";

  /** Every hook of every instance: the instance-wide one where configured, then the named ones. */
  static List<Hook> all(GitLabConfig gitlab) {
    List<Hook> hooks = new ArrayList<>();
    gitlab
        .instances()
        .forEach(
            (instance, config) -> {
              String where = "broker.gitlab.instances." + instance;
              Set<String> names = senderNames(config);
              boolean required = config.requireSignedWebhooks();
              if (present(config.webhookSecret()) || present(config.signingSecret())) {
                hooks.add(
                    hook(
                        instance,
                        INSTANCE_WIDE,
                        where,
                        names,
                        config.webhookSecret(),
                        config.signingSecret(),
                        required,
                        HookScope.instanceWide()));
              }
              config
                  .hooks()
                  .forEach(
                      (name, hook) -> {
                        String at = where + ".hooks." + name;
                        hooks.add(
                            hook(
                                instance,
                                name,
                                at,
                                names,
                                hook.secret(),
                                hook.signingSecret(),
                                required,
                                HookScope.of(
                                    at,
                                    hook.projects().orElse(List.of()),
                                    hook.groups().orElse(List.of()))));
                      });
            });
    return List.copyOf(hooks);
  }

  private static Hook hook(
      String instance,
      String name,
      String where,
      Set<String> senderNames,
      Optional<String> secret,
      Optional<String> signingSecret,
      boolean signatureRequired,
      HookScope scope) {
    byte[] key =
        signingSecret
            .filter(s -> !s.isBlank())
            .map(s -> StandardSignature.key(where + ".signing-secret", s))
            .orElse(null);
    byte[] digest = secret.filter(s -> !s.isBlank()).map(Hook::sha256).orElse(null);
    if (key == null && (digest == null || signatureRequired)) {
      throw new IllegalStateException(
          where
              + (signatureRequired
                  ? " needs a signing-secret: its instance sets require-signed-webhooks"
                  : " needs a secret or a signing-secret"));
    }
    return new Hook(instance, name, senderNames, digest, key, signatureRequired, scope);
  }

  private static boolean present(Optional<String> value) {
    return value.filter(s -> !s.isBlank()).isPresent();
  }

  /** Names GitLab may send in {@code X-Gitlab-Instance}: the configured one, the URL, its host. */
  private static Set<String> senderNames(GitLabConfig.Instance i) {
    Set<String> names = new LinkedHashSet<>();
    i.instanceHeader().map(Hook::normalisedName).ifPresent(names::add);
    names.add(normalisedName(i.url()));
    try {
      String host = URI.create(i.url()).getHost();
      if (host != null) {
        names.add(normalisedName(host));
      }
    } catch (IllegalArgumentException e) {
      // the URL is validated where it is used for tokens; here it only adds a name
    }
    return Set.copyOf(names);
  }

  static String normalisedName(String name) {
    return name.strip().replaceAll("/+$", "").toLowerCase(Locale.ROOT);
  }

  static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
