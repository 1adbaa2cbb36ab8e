package io.neo4jaccess.api;

import io.neo4jaccess.webhook.WebhookAuthenticator;
import io.neo4jaccess.webhook.WebhookService;
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

/** {@code POST /v1/webhooks/gitlab}: GitLab's Job, Pipeline and Deployment Hooks. */
@Path("/v1/webhooks/gitlab")
public class WebhookResource {

  @Inject WebhookService service;

  @POST
  @Consumes(MediaType.WILDCARD)
  @Produces(MediaType.APPLICATION_JSON)
  public Map<String, Object> receive(@Context HttpHeaders headers, byte[] body) {
    WebhookService.Handled handled =
        service.receive(
            new WebhookService.Delivery(
                new WebhookAuthenticator.Presented(
                    headers.getHeaderString("X-Gitlab-Instance"),
                    headers.getHeaderString("X-Gitlab-Token"),
                    headers.getHeaderString("webhook-id"),
                    headers.getHeaderString("webhook-timestamp"),
                    headers.getHeaderString("webhook-signature")),
                headers.getHeaderString("Idempotency-Key"),
                headers.getHeaderString("X-Gitlab-Event-UUID"),
                body));
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("status", handled.result().answer());
    answer.put("event", handled.event());
    answer.put("revocations_requested", handled.leases());
    return answer;
  }
}
