package io.neo4jaccess.webhook;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.neo4jaccess.gitlab.ProtectionFacts;
import io.neo4jaccess.lease.RevocationWorker;
import io.neo4jaccess.state.StateUnavailable;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Acts on one GitLab webhook delivery, checked in this order: size; authenticity, which names the
 * hook that sent it ({@link WebhookAuthenticator}); what the event asks ({@link EventEffects});
 * whether that hook may speak for the event's project ({@link HookScope}); then the effect. The
 * delivery and the revocation requests are recorded in one transaction before the caller answers;
 * the revocations then run on the {@link RevocationWorker}. Answers fast: GitLab.com gives up after
 * about 10 s and pauses a hook after four failures.
 *
 * <p>A delivery about a project outside its hook's scope changes nothing and is answered as {@code
 * ignored}, like one about a project the broker never saw: an error would make GitLab pause the
 * hook, and its deliveries for the projects it does cover would stop too.
 */
@ApplicationScoped
public class WebhookService {

  private static final Logger LOG = Logger.getLogger(WebhookService.class);

  /** What was done with a delivery: its metric's {@code outcome} tag, and the answer's status. */
  public enum Result {
    ACCEPTED("accepted"),
    DUPLICATE("duplicate"),
    IGNORED("ignored"),
    /** About a project the hook may not speak for; answered as ignored. */
    OUT_OF_SCOPE("ignored");

    private final String answer;

    Result(String answer) {
      this.answer = answer;
    }

    /** The answer's {@code status}. */
    public String answer() {
      return answer;
    }
  }

  /** The answer: the result, the event kind and how many leases the event ends. */
  public record Handled(Result result, String event, int leases) {}

  /**
   * One delivery as received: what bears on authentication, the de-duplication keys, the body.
   *
   * @param idempotencyKey {@code Idempotency-Key} (GitLab 17.4+), else null
   * @param eventUuid {@code X-Gitlab-Event-UUID}, else null
   */
  public record Delivery(
      WebhookAuthenticator.Presented presented,
      String idempotencyKey,
      String eventUuid,
      byte[] body) {}

  private static final int MAX_KEY_LENGTH = 200;

  private final ObjectMapper json;
  private final WebhookAuthenticator authenticator;
  private final ProjectRecords projects;
  private final DeliveryRepository deliveries;
  private final RevocationWorker worker;
  private final ProtectionFacts facts;
  private final WebhookConfig config;
  private final MeterRegistry metrics;
  private final Clock clock;

  @Inject
  public WebhookService(
      ObjectMapper json,
      WebhookAuthenticator authenticator,
      ProjectRecords projects,
      DeliveryRepository deliveries,
      RevocationWorker worker,
      ProtectionFacts facts,
      WebhookConfig config,
      MeterRegistry metrics,
      Clock clock) {
    this.json = json;
    this.authenticator = authenticator;
    this.projects = projects;
    this.deliveries = deliveries;
    this.worker = worker;
    this.facts = facts;
    this.config = config;
    this.metrics = metrics;
    this.clock = clock;
  }

  /**
   * Acts on one delivery.
   *
   * @throws WebhookRejected when it is too large, not authentic, or malformed; nothing changed
   */
  public Handled receive(Delivery delivery) {
    byte[] body = delivery.body() == null ? new byte[0] : delivery.body();
    if (body.length > config.maxBodyBytes()) {
      throw rejected(
          WebhookRejected.Reason.TOO_LARGE, "too_large", "The webhook body is too large.");
    }
    Optional<WebhookAuthenticator.Sender> sender =
        authenticator.authenticate(delivery.presented(), body);
    if (sender.isEmpty()) {
      LOG.debugf("webhook refused: instance_header=%s", delivery.presented().instanceHeader());
      throw rejected(
          WebhookRejected.Reason.UNAUTHORIZED,
          "unauthorized",
          "The webhook's secret token or signature does not match a configured GitLab webhook.");
    }
    Handled handled;
    try {
      handled = handle(sender.get(), deliveryKey(delivery, sender.get().signed()), body);
    } catch (WebhookRejected e) {
      count("unknown", "bad_request");
      throw e;
    } catch (StateUnavailable e) {
      count("unknown", "state_unavailable");
      throw e;
    }
    count(handled.event(), handled.result().name().toLowerCase(Locale.ROOT));
    return handled;
  }

  private WebhookRejected rejected(WebhookRejected.Reason reason, String outcome, String detail) {
    count("unknown", outcome);
    return new WebhookRejected(reason, detail);
  }

  private void count(String event, String outcome) {
    metrics.counter("broker.webhooks", "event", event, "outcome", outcome).increment();
  }

  /**
   * A signed delivery's key is its {@code webhook-id}, the one de-duplication key it signs: its
   * other headers may have been changed by whoever replays it. Otherwise {@code Idempotency-Key}
   * (GitLab 17.4+, stable across retries and manual resends), else {@code webhook-id}, else {@code
   * X-Gitlab-Event-UUID}.
   */
  private static String deliveryKey(Delivery d, boolean signed) {
    String[][] candidates =
        signed
            ? new String[][] {{"webhook-id", d.presented().webhookId()}}
            : new String[][] {
              {"Idempotency-Key", d.idempotencyKey()},
              {"webhook-id", d.presented().webhookId()},
              {"X-Gitlab-Event-UUID", d.eventUuid()}
            };
    for (String[] c : candidates) {
      if (c[1] != null && !c[1].isBlank()) {
        if (c[1].length() > MAX_KEY_LENGTH) {
          throw new WebhookRejected(WebhookRejected.Reason.MALFORMED, c[0] + " is too long.");
        }
        return c[1].strip();
      }
    }
    return null;
  }

  private Handled handle(WebhookAuthenticator.Sender sender, String deliveryKey, byte[] body) {
    EventEffects effects = EventEffects.of(json, body);
    if (effects.none()) {
      // A status change that ends nothing: no write, duplicates of it are harmless.
      return new Handled(Result.IGNORED, effects.kind(), 0);
    }
    Hook hook = sender.hook();
    String instance = hook.instance();
    if (!inScope(hook, effects.projectId())) {
      LOG.warnf(
          "webhook about a project outside its hook's scope, nothing changed:"
              + " instance=%s hook=%s event=%s project=%d",
          instance, hook.name(), effects.kind(), effects.projectId());
      return new Handled(Result.OUT_OF_SCOPE, effects.kind(), 0);
    }
    if (effects.dropsFacts()) {
      facts.invalidate(instance, effects.projectId());
      LOG.debugf(
          "deployment event: instance=%s hook=%s project=%d",
          instance, hook.name(), effects.projectId());
      return new Handled(Result.ACCEPTED, effects.kind(), 0);
    }
    Instant now = clock.instant();
    Optional<List<String>> marked =
        deliveries.accept(
            instance,
            deliveryKey,
            effects.kind(),
            now,
            now.plus(config.deliveryRetention()),
            effects.ends());
    if (marked.isEmpty()) {
      LOG.infof(
          "webhook duplicate ignored: instance=%s hook=%s event=%s key=%s",
          instance, hook.name(), effects.kind(), deliveryKey);
      return new Handled(Result.DUPLICATE, effects.kind(), 0);
    }
    worker.submit(marked.get());
    LOG.infof(
        "webhook accepted: instance=%s hook=%s event=%s key=%s leases=%d",
        instance, hook.name(), effects.kind(), deliveryKey, marked.get().size());
    return new Handled(Result.ACCEPTED, effects.kind(), marked.get().size());
  }

  /** Checked against the project as recorded from verified ID tokens, read only when needed. */
  private boolean inScope(Hook hook, long projectId) {
    HookScope scope = hook.scope();
    ProjectRecords.Project recorded =
        scope.needsRecord(projectId)
            ? projects.find(hook.instance(), projectId).orElse(null)
            : null;
    return scope.covers(projectId, recorded);
  }
}
