package io.neo4jaccess.webhook;

import io.neo4jaccess.gitlab.GitLabConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Decides which configured webhook sent a delivery, as a checklist:
 *
 * <ol>
 *   <li>Candidates: the hooks of the instance named by {@code X-Gitlab-Instance} when GitLab sends
 *       it (an unknown name matches nothing), else every configured hook.
 *   <li>Per candidate: a Standard-Webhooks signature, when the hook has a signing secret and the
 *       request carries {@code webhook-signature}, decides alone ({@link StandardSignature}).
 *       Otherwise {@code X-Gitlab-Token} must equal the hook's secret, unless its instance requires
 *       signatures.
 *   <li>Exactly one candidate must accept; none or several (two hooks sharing a secret) is a
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

  /** What GitLab sent that bears on authentication. Values may be null. */
  public record Presented(
      String instanceHeader,
      String token,
      String webhookId,
      String webhookTimestamp,
      String webhookSignature) {}

  /**
   * The hook a delivery is from.
   *
   * @param signed authenticated by its signature, so {@code webhook-id} is the sender's own word
   *     and every other header may have been changed on the way
   */
  record Sender(Hook hook, boolean signed) {}

  private final List<Hook> hooks;
  private final Duration tolerance;
  private final Clock clock;

  @Inject
  public WebhookAuthenticator(GitLabConfig gitlab, WebhookConfig config, Clock clock) {
    this.hooks = Hook.all(gitlab);
    this.tolerance = config.signatureTolerance();
    this.clock = clock;
  }

  /**
   * Built at start, so that a hook configuration that cannot work stops the broker there; warns of
   * every instance-wide hook.
   */
  void checkAtStart(@Observes StartupEvent e) {
    hooks.stream()
        .filter(h -> h.scope().isInstanceWide())
        .forEach(
            h ->
                LOG.warnf(
                    "gitlab instance=%s: webhook-secret/signing-secret make an instance-wide"
                        + " webhook: whoever holds them can end any lease and drop any project's"
                        + " cached facts on this instance. Prefer"
                        + " broker.gitlab.instances.%s.hooks.<name> bound to groups or projects",
                    h.instance(), h.instance()));
  }

  /**
   * @return the one hook that sent this delivery, or empty when it is not authentic
   */
  Optional<Sender> authenticate(Presented c, byte[] body) {
    List<Hook> candidates = hooks;
    if (c.instanceHeader() != null && !c.instanceHeader().isBlank()) {
      String sent = Hook.normalisedName(c.instanceHeader());
      candidates = hooks.stream().filter(h -> h.senderNames().contains(sent)).toList();
    }
    byte[] tokenDigest = c.token() == null ? null : Hook.sha256(c.token());
    List<Sender> accepted = new ArrayList<>();
    for (Hook hook : candidates) {
      accepts(hook, c, tokenDigest, body).ifPresent(accepted::add);
    }
    if (accepted.size() > 1) {
      LOG.warnf(
          "webhook matches several hooks' secrets, refused: hooks=%s",
          accepted.stream().map(s -> s.hook().instance() + "/" + s.hook().name()).toList());
      return Optional.empty();
    }
    return accepted.stream().findFirst();
  }

  private Optional<Sender> accepts(Hook hook, Presented c, byte[] tokenDigest, byte[] body) {
    if (hook.signingKey() != null && c.webhookSignature() != null) {
      boolean valid =
          StandardSignature.valid(
              hook.signingKey(),
              c.webhookId(),
              c.webhookTimestamp(),
              c.webhookSignature(),
              body,
              clock.instant(),
              tolerance);
      return valid ? Optional.of(new Sender(hook, true)) : Optional.empty();
    }
    boolean tokenMatches =
        !hook.signatureRequired()
            && hook.tokenDigest() != null
            && tokenDigest != null
            && MessageDigest.isEqual(hook.tokenDigest(), tokenDigest);
    return tokenMatches ? Optional.of(new Sender(hook, false)) : Optional.empty();
  }
}
