package io.neo4jaccess.lease;

import io.neo4jaccess.state.Expiring;
import io.neo4jaccess.state.StateStore;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Token ids ({@code jti}) consumed by an exchange, kept until their token expires: a token yields
 * at most one lease. They are consumed in the same statement that writes the lease ({@link
 * LeaseRepository#beginIssuing}); this repository answers, gives back and prunes them.
 */
@ApplicationScoped
public class UsedJtis implements Expiring {

  private static final List<String> SCHEMA =
      List.of(
          "CREATE CONSTRAINT used_jti IF NOT EXISTS FOR (n:UsedJti) REQUIRE n.key IS UNIQUE",
          "CREATE INDEX used_jti_expiry IF NOT EXISTS FOR (n:UsedJti) ON (n.expiresAt)");

  private static final String PRUNE =
      """
      MATCH (n:UsedJti) WHERE n.expiresAt < $now
      WITH n LIMIT $n
      DELETE n RETURN count(*) AS deleted
      """;

  private final StateStore store;

  @Inject
  public UsedJtis(StateStore store) {
    this.store = store;
  }

  void createSchema(@Observes StartupEvent e) {
    store.createSchema(SCHEMA);
  }

  /** The key a {@code jti} is stored under: ids are unique only per GitLab instance. */
  static String key(String instance, String jti) {
    return instance + "|" + jti;
  }

  /** True when the token's {@code jti} was consumed by an earlier exchange. */
  public boolean used(String instance, String jti) {
    return store.read(
        tx ->
            tx.run(
                    "MATCH (u:UsedJti {key: $k}) RETURN count(u) > 0 AS used",
                    Map.of("k", key(instance, jti)))
                .single()
                .get("used")
                .asBoolean());
  }

  /** Gives a token back after an exchange that issued nothing usable, so the job can retry. */
  public void release(String instance, String jti) {
    store.statement("MATCH (u:UsedJti {key: $k}) DELETE u", Map.of("k", key(instance, jti)));
  }

  @Override
  public String name() {
    return "used_jtis";
  }

  @Override
  public long pruneExpired(Instant now, int limit) {
    return store.prune(PRUNE, now, limit);
  }
}
