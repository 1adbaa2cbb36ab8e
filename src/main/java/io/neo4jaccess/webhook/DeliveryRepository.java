package io.neo4jaccess.webhook;

import static io.neo4jaccess.state.StateStore.parameters;
import static io.neo4jaccess.state.StateStore.utc;

import io.neo4jaccess.lease.LeaseSelector;
import io.neo4jaccess.lease.RevocationRepository;
import io.neo4jaccess.state.Expiring;
import io.neo4jaccess.state.StateStore;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.neo4j.driver.exceptions.ClientException;

/**
 * Webhook deliveries by idempotency key, kept for {@code broker.webhook.delivery-retention}: a
 * delivery GitLab retries or someone resends is recognised and changes nothing the second time.
 */
@ApplicationScoped
public class DeliveryRepository implements Expiring {

  private static final List<String> SCHEMA =
      List.of(
          "CREATE CONSTRAINT webhook_delivery_key IF NOT EXISTS"
              + " FOR (n:WebhookDelivery) REQUIRE n.key IS UNIQUE",
          "CREATE INDEX webhook_delivery_expiry IF NOT EXISTS"
              + " FOR (n:WebhookDelivery) ON (n.expiresAt)");

  private static final String RECORD =
      """
      CREATE (:WebhookDelivery {key: $key, instance: $instance, event: $event,
                                receivedAt: $now, expiresAt: $expiresAt})
      """;

  private static final String PRUNE =
      """
      MATCH (n:WebhookDelivery) WHERE n.expiresAt < $now
      WITH n LIMIT $n
      DELETE n RETURN count(*) AS deleted
      """;

  private final StateStore store;
  private final RevocationRepository revocations;

  @Inject
  public DeliveryRepository(StateStore store, RevocationRepository revocations) {
    this.store = store;
    this.revocations = revocations;
  }

  void createSchema(@Observes StartupEvent e) {
    store.createSchema(SCHEMA);
  }

  /**
   * Records one delivery and marks the active leases it ends revoke_requested, in one transaction:
   * once GitLab has its 2xx, the revocation survives a crash (the sweeper finishes it) and a
   * redelivery is recognised.
   *
   * @param key the delivery's idempotency key, or null when GitLab sent none (nothing to
   *     de-duplicate by; marking leases is idempotent anyway)
   * @return the ids of the leases marked, or empty when this delivery was seen before
   */
  public Optional<List<String>> accept(
      String instance,
      String key,
      String event,
      Instant now,
      Instant keyExpiresAt,
      List<LeaseSelector> ends) {
    try {
      return Optional.of(
          store.write(
              tx -> {
                if (key != null) {
                  tx.run(
                          RECORD,
                          parameters(
                              "key",
                              instance + "|" + key,
                              "instance",
                              instance,
                              "event",
                              event,
                              "now",
                              utc(now),
                              "expiresAt",
                              utc(keyExpiresAt)))
                      .consume();
                }
                return revocations.request(tx, instance, ends, now);
              }));
    } catch (ClientException e) {
      if (StateStore.constraintViolated(e)) {
        return Optional.empty();
      }
      throw e;
    }
  }

  @Override
  public String name() {
    return "webhook_deliveries";
  }

  @Override
  public long pruneExpired(Instant now, int limit) {
    return store.prune(PRUNE, now, limit);
  }
}
