package io.neo4jaccess.webhook;

import io.micrometer.core.instrument.MeterRegistry;
import io.neo4jaccess.api.BrokerException;
import io.neo4jaccess.api.ErrorCode;
import io.neo4jaccess.lease.StateUnavailableException;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * {@code POST /v1/webhooks/gitlab}: size, then authenticity (per instance), then the event. Answers
 * as soon as the consequences are recorded: GitLab.com gives up after about 10 s and pauses a hook
 * after four failures.
 */
@Path("/v1/webhooks/gitlab")
public class WebhookResource {

  private static final Logger LOG = Logger.getLogger(WebhookResource.class);
  private static final int MAX_KEY_LENGTH = 200;

  @Inject WebhookAuthenticator authenticator;
  @Inject WebhookService service;
  @Inject WebhookConfig config;
  @Inject MeterRegistry metrics;

  @POST
  @Consumes(MediaType.WILDCARD)
  @Produces(MediaType.APPLICATION_JSON)
  public Map<String, Object> receive(@Context HttpHeaders headers, byte[] body) {
    byte[] payload = body == null ? new byte[0] : body;
    if (payload.length > config.maxBodyBytes()) {
      count("unknown", "too_large");
      throw new BrokerException(ErrorCode.PAYLOAD_TOO_LARGE, "The webhook body is too large.");
    }
    Optional<String> instance =
        authenticator.authenticate(
            new WebhookAuthenticator.Credentials(
                headers.getHeaderString("X-Gitlab-Instance"),
                headers.getHeaderString("X-Gitlab-Token"),
                headers.getHeaderString("webhook-id"),
                headers.getHeaderString("webhook-timestamp"),
                headers.getHeaderString("webhook-signature")),
            payload);
    if (instance.isEmpty()) {
      count("unknown", "unauthorized");
      LOG.debugf(
          "webhook refused: event=%s instance_header=%s",
          headers.getHeaderString("X-Gitlab-Event"), headers.getHeaderString("X-Gitlab-Instance"));
      throw new BrokerException(
          ErrorCode.WEBHOOK_UNAUTHORIZED,
          "The webhook's secret token or signature does not match a configured GitLab instance.");
    }
    String key = deliveryKey(headers);
    WebhookService.Handled handled;
    try {
      handled = service.handle(instance.get(), key, payload);
    } catch (WebhookService.Malformed e) {
      count("unknown", "bad_request");
      throw new BrokerException(ErrorCode.BAD_REQUEST, e.getMessage());
    } catch (StateUnavailableException e) {
      count("unknown", "state_unavailable");
      throw new BrokerException(
          ErrorCode.STATE_UNAVAILABLE, "The broker's state store is unavailable.", e);
    }
    count(handled.event(), handled.result().name().toLowerCase(java.util.Locale.ROOT));
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("status", handled.result().name().toLowerCase(java.util.Locale.ROOT));
    answer.put("event", handled.event());
    answer.put("revocations_requested", handled.leases());
    return answer;
  }

  /**
   * {@code Idempotency-Key} (GitLab 17.4+, stable across retries and manual resends), else the
   * Standard-Webhooks {@code webhook-id} (the same value when signing is on), else {@code
   * X-Gitlab-Event-UUID}.
   */
  private static String deliveryKey(HttpHeaders headers) {
    for (String name : new String[] {"Idempotency-Key", "webhook-id", "X-Gitlab-Event-UUID"}) {
      String v = headers.getHeaderString(name);
      if (v != null && !v.isBlank()) {
        if (v.length() > MAX_KEY_LENGTH) {
          throw new BrokerException(ErrorCode.BAD_REQUEST, name + " is too long.");
        }
        return v.strip();
      }
    }
    return null;
  }

  private void count(String event, String outcome) {
    metrics.counter("broker.webhooks", "event", event, "outcome", outcome).increment();
  }
}
