package io.neo4jaccess.lease;

import static org.assertj.core.api.Assertions.assertThat;

import io.neo4jaccess.testing.BrokerTestResource;
import io.neo4jaccess.testing.LoadDriver;
import io.neo4jaccess.testing.StateProbe;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * A slow exchange whose {@code issuing} lease the sweeper takes for abandoned (past {@code
 * stuck-grace}) must not answer 200: the sweeper drops the user and marks the lease failed, so the
 * credentials would be dead — or, if the user is created after the sweeper's drop, alive without a
 * live lease. Found by chaos/run: under 32 concurrent exchanges on 2 cores some took longer than a
 * 5 s grace and got 200 with a lease already {@code failed}.
 *
 * <p>Forced here by sweeping continuously as if {@code stuck-grace} had passed for every lease
 * being issued, while jobs exchange.
 */
@QuarkusTest
@WithTestResource(BrokerTestResource.class)
class AbandonedWhileIssuingTest {

  @TestHTTPResource("/")
  URL broker;

  @Inject LeaseQueries queries;
  @Inject Revoker revoker;

  @Test
  void an_exchange_whose_lease_was_abandoned_meanwhile_does_not_answer_200() throws Exception {
    AtomicBoolean running = new AtomicBoolean(true);
    CompletableFuture<Void> sweeping =
        CompletableFuture.runAsync(
            () -> {
              while (running.get()) {
                // The sweeper's abandoned-issuing step as if stuck-grace had passed for every
                // lease being issued, in a tight loop so that it lands inside exchanges.
                for (String id :
                    queries.due(
                        LeaseQueries.Due.STUCK_ISSUING,
                        java.time.Instant.now().plus(Duration.ofSeconds(1)),
                        500)) {
                  revoker.revoke(
                      java.util.List.of(id),
                      java.util.List.of(LeaseState.ISSUING),
                      "issuing_abandoned");
                }
              }
            });
    LoadDriver.Tally t;
    try {
      t =
          new LoadDriver(
                  broker.toString(),
                  BrokerTestResource.gitlab(),
                  BrokerTestResource.AUDIENCE,
                  BrokerTestResource.WEBHOOK_SECRET,
                  22,
                  "demo/app")
              .run(80, 16, 60_000_000L + (System.nanoTime() % 1_000_000) * 100, 60_000_001L);
    } finally {
      running.set(false);
      sweeping.get();
    }
    System.out.printf(
        "abandoned-while-issuing: codes %s, webhook answers %s%n", t.codes(), t.webhookAnswers());

    // Then every 200 names a lease that became active and a user that exists (unless its job's
    // webhook revoked it since); every other answer is a 503 the job may retry
    Set<String> users = new HashSet<>(StateProbe.brokerUsers());
    for (LoadDriver.Issued i : t.issued()) {
      String state = StateProbe.leaseState(i.leaseId());
      if (t.finishedJobs().containsKey(i.jobId())) {
        assertThat(state).as("lease of finished job %d", i.jobId()).isEqualTo("revoked");
      } else {
        assertThat(state)
            .as(
                "lease of job %d answered 200 (revoke reason: %s; webhook answers %s)",
                i.jobId(), StateProbe.revokeReason(i.leaseId()), t.webhookAnswers())
            .isEqualTo("active");
        assertThat(users).as("user of job %d", i.jobId()).contains(i.username());
      }
    }
    t.codes().keySet().forEach(code -> assertThat(code).isIn("issued", "state_unavailable"));

    // Finally, end this run's leases so that they do not crowd other classes' out of the
    // sweeper's bounded reconciliation batch.
    revoker.revoke(
        t.issued().stream().map(LoadDriver.Issued::leaseId).toList(),
        java.util.List.of(LeaseState.ACTIVE),
        "cleanup");
  }
}
