package io.neo4jaccess.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.neo4jaccess.lease.LeaseState;
import io.neo4jaccess.sweep.Sweeper;
import io.neo4jaccess.testing.BrokerTestResource;
import io.neo4jaccess.testing.LoadDriver;
import io.neo4jaccess.testing.SecretsSeen;
import io.neo4jaccess.testing.SharedNeo4j;
import io.neo4jaccess.testing.StateProbe;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.neo4j.driver.Session;

/**
 * Hundreds of exchanges at concurrency 32 interleaved with Job Hooks (duplicates, resends under a
 * new key, stale statuses, jobs that never exchanged), then one sweep: every lease is accounted
 * for. The 2,000-exchange run against the packaged broker is {@code chaos/run}; this is its small
 * version, sized by {@code -Dload.exchanges} (default 300).
 */
@QuarkusTest
@WithTestResource(BrokerTestResource.class)
class LoadAccountingTest {

  @TestHTTPResource("/")
  URL broker;

  @Inject Sweeper sweeper;
  @Inject io.neo4jaccess.lease.Revoker revoker;

  @Test
  void every_lease_is_accounted_for_after_load_and_one_sweep() throws Exception {
    int exchanges = Integer.getInteger("load.exchanges", 300);
    long firstJob = 40_000_000L + (System.nanoTime() % 1_000_000) * 100;
    long pipeline = firstJob;
    LoadDriver load =
        new LoadDriver(
            broker.toString(),
            BrokerTestResource.gitlab(),
            BrokerTestResource.AUDIENCE,
            BrokerTestResource.WEBHOOK_SECRET,
            22,
            "demo/app");

    // When many jobs exchange at once while GitLab reports a third of them finished
    LoadDriver.Tally t = load.run(exchanges, 32, firstJob, pipeline);
    System.out.printf(
        "load: %d exchanges, %d webhooks, %s, codes %s%n",
        exchanges, t.webhooks(), t.elapsed(), t.codes());

    // Then every exchange was issued (a healthy broker refuses none under load)
    assertThat(t.count("issued")).isEqualTo(exchanges);
    Map<Long, LoadDriver.Issued> byJob = new java.util.HashMap<>();
    t.issued().forEach(i -> byJob.put(i.jobId(), i));
    assertThat(byJob).hasSize(exchanges);

    // And the webhooks' revocations complete without a sweep
    Set<String> finishedLeases = new HashSet<>();
    t.finishedJobs().keySet().forEach(j -> finishedLeases.add(byJob.get(j).leaseId()));
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(250))
        .until(() -> states(finishedLeases).values().stream().allMatch("revoked"::equals));

    // And after one sweep each lease of this run is revoked with its user gone, or active with
    // its user present; nothing is left issuing or revoking; no user anywhere lacks a live lease
    sweeper.sweepOnce();
    Set<String> users = new HashSet<>(StateProbe.brokerUsers());
    Map<String, String> states =
        states(t.issued().stream().map(LoadDriver.Issued::leaseId).toList());
    for (LoadDriver.Issued i : t.issued()) {
      boolean finished = t.finishedJobs().containsKey(i.jobId());
      assertThat(states.get(i.leaseId()))
          .as("lease of job %d", i.jobId())
          .isEqualTo(finished ? "revoked" : "active");
      assertThat(users.contains(i.username()))
          .as("user of job %d exists", i.jobId())
          .isEqualTo(!finished);
    }
    try (Session s = SharedNeo4j.stateAdmin().session()) {
      Set<String> live =
          new HashSet<>(
              s.run(
                      "MATCH (l:Lease {target: 'demo'}) WHERE l.state IN ['issuing', 'active',"
                          + " 'revoke_requested', 'revoking', 'revoke_failed'] RETURN l.username"
                          + " AS u")
                  .list(r -> r.get("u").asString()));
      assertThat(users).isSubsetOf(live);
    }

    // And no token or password of this run (or of any earlier test) reached the log
    List<String> secrets = new java.util.ArrayList<>(SecretsSeen.all());
    assertThat(secrets).hasSizeGreaterThanOrEqualTo(2 * exchanges);
    assertThat(SecretsSeen.leakedInto(SecretsSeen.TEST_LOG, secrets)).isEmpty();

    // Finally, end this run's leases: hundreds of active leases left on the shared server would
    // crowd other classes' leases out of the sweeper's bounded reconciliation batch.
    revoker.revoke(
        t.issued().stream().map(LoadDriver.Issued::leaseId).toList(),
        List.of(LeaseState.ACTIVE),
        "test_cleanup");
  }

  static Map<String, String> states(java.util.Collection<String> leaseIds) {
    try (Session s = SharedNeo4j.stateAdmin().session()) {
      Map<String, String> out = new java.util.HashMap<>();
      s.run(
              "MATCH (l:Lease) WHERE l.id IN $ids RETURN l.id AS id, l.state AS state",
              Map.of("ids", List.copyOf(leaseIds)))
          .forEachRemaining(r -> out.put(r.get("id").asString(), r.get("state").asString()));
      return out;
    }
  }
}
