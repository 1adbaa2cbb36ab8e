package io.neo4jaccess.webhook;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * How GitLab webhooks are received. The secrets themselves are per hook, in {@code
 * broker.gitlab.instances.<name>.hooks.<hook>.secret} and {@code .signing-secret} (or, for an
 * instance-wide hook, the instance's own {@code webhook-secret} and {@code signing-secret}).
 */
@ConfigMapping(prefix = "broker.webhook")
public interface WebhookConfig {

  /** Largest accepted webhook body in bytes; larger ones are refused with 413. */
  @WithDefault("1048576")
  int maxBodyBytes();

  /**
   * How far a Standard-Webhooks {@code webhook-timestamp} may be from the broker's clock, either
   * way. Bounds how long a captured signed delivery can be replayed.
   */
  @WithDefault("5m")
  Duration signatureTolerance();

  /**
   * How long a delivery's idempotency key is remembered. GitLab keeps the key across its retries
   * and manual resends, so this should outlast the time anyone might resend an old delivery.
   */
  @WithDefault("7d")
  Duration deliveryRetention();
}
