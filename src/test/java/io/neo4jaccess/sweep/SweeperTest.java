package io.neo4jaccess.sweep;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.neo4jaccess.lease.LeaseState;
import io.neo4jaccess.lease.Revoker;
import io.neo4jaccess.testing.BrokerTestResource;
import io.neo4jaccess.testing.SharedNeo4j;
import io.neo4jaccess.testing.StateProbe;
import io.neo4jaccess.testing.TestLeases;
import io.neo4jaccess.testing.TestLeases.Made;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.neo4j.driver.Driver;
import org.neo4j.driver.Session;
import org.neo4j.driver.SessionConfig;
import org.neo4j.driver.Transaction;
import org.neo4j.driver.exceptions.Neo4jException;

@QuarkusTest
@WithTestResource(BrokerTestResource.class)
class SweeperTest {

  @Inject Sweeper sweeper;
  @Inject Revoker revoker;

  @Test
  void expired_leases_are_revoked_with_reason_expired() {
    Made lease = TestLeases.create(TestLeases.lease().expiresAt(Instant.now().minusSeconds(1)));

    sweeper.sweepOnce();

    assertThat(StateProbe.leaseState(lease.id())).isEqualTo("revoked");
    assertThat(TestLeases.properties(lease.id())).containsEntry("revokeReason", "expired");
    assertThat(TestLeases.userExists(lease.username())).isFalse();
  }

  @Test
  void a_batch_revocation_cuts_the_open_session_of_every_user_in_it_and_claims_each_lease_once() {
    // Given four expired leases, each of whose users holds an open transaction and an idle
    // pooled connection
    List<Made> leases =
        TestLeases.create(TestLeases.lease().expiresAt(Instant.now().minusSeconds(1)), 4);
    List<Driver> drivers = new ArrayList<>();
    List<Transaction> open = new ArrayList<>();
    List<Session> idle = new ArrayList<>();
    try {
      for (Made l : leases) {
        Driver d = StateProbe.loginAs(l.username(), TestLeases.PASSWORD);
        drivers.add(d);
        Session i = d.session();
        i.run("RETURN 1").consume();
        idle.add(i);
        Transaction tx = d.session().beginTransaction();
        tx.run("CREATE (:WrittenBeforeBatchRevocation)").consume();
        open.add(tx);
      }
      List<String> ids = leases.stream().map(Made::id).toList();

      // When they are revoked as one batch (the sweeper's expiry path)
      int claimed = revoker.revoke(ids, List.of(LeaseState.ACTIVE), "expired");
      // ... and a second batch over the same leases (another replica, late) claims none
      int again = revoker.revoke(ids, List.of(LeaseState.ACTIVE), "expired");

      // Then every lease was claimed once and is revoked, every user is gone ...
      assertThat(claimed).isEqualTo(4);
      assertThat(again).isZero();
      for (Made l : leases) {
        assertThat(StateProbe.leaseState(l.id())).isEqualTo("revoked");
        assertThat(TestLeases.revocations(l.id())).isEqualTo(1);
        assertThat(TestLeases.properties(l.id())).containsEntry("revokeReason", "expired");
        assertThat(TestLeases.userExists(l.username())).isFalse();
      }
      // ... and each user's open transaction and idle connection are dead
      for (int i = 0; i < leases.size(); i++) {
        Transaction tx = open.get(i);
        Session s = idle.get(i);
        assertThatThrownBy(() -> tx.run("MATCH (n) RETURN count(n)").consume())
            .isInstanceOf(Neo4jException.class);
        assertThatThrownBy(() -> s.run("RETURN 1").consume()).isInstanceOf(Neo4jException.class);
      }
      // ... and nothing written in the cut transactions was committed
      try (Session s = SharedNeo4j.admin().session()) {
        assertThat(
                s.run("MATCH (n:WrittenBeforeBatchRevocation) RETURN count(n) AS n")
                    .single()
                    .get("n")
                    .asLong())
            .isZero();
      }
    } finally {
      drivers.forEach(Driver::close);
    }
  }

  @Test
  void a_batch_on_an_unreachable_target_marks_each_lease_revoke_failed_for_a_retry() {
    List<Made> leases =
        TestLeases.create(
            TestLeases.lease().target("fragile", "fr_").expiresAt(Instant.now().minusSeconds(1)),
            3);
    BrokerTestResource.fragile().down();
    try {
      int claimed =
          revoker.revoke(
              leases.stream().map(Made::id).toList(), List.of(LeaseState.ACTIVE), "expired");
      assertThat(claimed).isEqualTo(3);
    } finally {
      BrokerTestResource.fragile().up();
    }
    for (Made l : leases) {
      assertThat(StateProbe.leaseState(l.id())).isEqualTo("revoke_failed");
      assertThat(TestLeases.properties(l.id())).containsEntry("attempts", 1L);
      assertThat(TestLeases.userExists(l.username())).isTrue();
    }
    // The retry finishes them once the target is back
    sweeper.sweepAt(Instant.now().plus(Duration.ofMinutes(2)));
    for (Made l : leases) {
      assertThat(StateProbe.leaseState(l.id())).isEqualTo("revoked");
      assertThat(TestLeases.revocations(l.id())).isEqualTo(1);
      assertThat(TestLeases.userExists(l.username())).isFalse();
    }
  }

  @Test
  void revocation_on_an_unreachable_target_fails_then_is_retried_after_it_returns() {
    // Given an expired lease on the target behind the proxy, and the target down
    Made lease =
        TestLeases.create(
            TestLeases.lease().target("fragile", "fr_").expiresAt(Instant.now().minusSeconds(1)));
    Instant first = Instant.now();
    BrokerTestResource.fragile().down();
    try {
      // When the sweeper tries to revoke it
      sweeper.sweepAt(first);

      // Then it is revoke_failed with one attempt and a next attempt in the future
      assertThat(StateProbe.leaseState(lease.id())).isEqualTo("revoke_failed");
      Map<String, Object> p = TestLeases.properties(lease.id());
      assertThat(p).containsEntry("attempts", 1L);
      assertThat(((ZonedDateTime) p.get("nextAttemptAt")).toInstant()).isAfter(first);
      assertThat(TestLeases.userExists(lease.username())).isTrue();

      // And a sweep before the backoff has passed leaves it alone
      sweeper.sweepAt(first);
      assertThat(TestLeases.properties(lease.id())).containsEntry("attempts", 1L);
    } finally {
      BrokerTestResource.fragile().up();
    }

    // When the target is back and the backoff has passed
    sweeper.sweepAt(Instant.now().plus(Duration.ofMinutes(2)));

    // Then the lease is revoked, once, and the user is gone
    assertThat(StateProbe.leaseState(lease.id())).isEqualTo("revoked");
    assertThat(TestLeases.revocations(lease.id())).isEqualTo(1);
    assertThat(TestLeases.userExists(lease.username())).isFalse();
  }

  @Test
  void a_user_whose_lease_never_became_active_is_dropped_and_the_lease_failed() {
    // Given an exchange that died after CREATE USER (lease still issuing, 3 minutes old) ...
    Made abandoned =
        TestLeases.create(
            TestLeases.lease().state("issuing").issuedAt(Instant.now().minusSeconds(180)));
    // ... and one that is merely in progress
    Made inProgress = TestLeases.create(TestLeases.lease().state("issuing"));

    sweeper.sweepOnce();

    assertThat(StateProbe.leaseState(abandoned.id())).isEqualTo("failed");
    assertThat(TestLeases.userExists(abandoned.username())).isFalse();
    assertThat(StateProbe.leaseState(inProgress.id())).isEqualTo("issuing");
    assertThat(TestLeases.userExists(inProgress.username())).isTrue();
  }

  @Test
  void a_revocation_left_half_done_by_a_crashed_replica_is_finished() {
    Made stuck =
        TestLeases.create(
            TestLeases.lease()
                .state("revoking")
                .set("revokeReason", "expired")
                .set("revokingSince", Instant.now().minusSeconds(180)));

    sweeper.sweepOnce();

    assertThat(StateProbe.leaseState(stuck.id())).isEqualTo("revoked");
    assertThat(TestLeases.userExists(stuck.username())).isFalse();
  }

  @Test
  void a_revocation_requested_by_a_webhook_survives_a_crash_after_the_answer() {
    // The webhook recorded the request; the replica died before its worker ran
    Made requested =
        TestLeases.create(
            TestLeases.lease()
                .state("revoke_requested")
                .set("revokeReason", "job_finished")
                .set("revokeRequestedAt", Instant.now()));

    sweeper.sweepOnce();

    assertThat(StateProbe.leaseState(requested.id())).isEqualTo("revoked");
    assertThat(TestLeases.properties(requested.id())).containsEntry("revokeReason", "job_finished");
    assertThat(TestLeases.userExists(requested.username())).isFalse();
  }

  @Test
  void a_lost_webhook_is_caught_by_reconciliation() {
    // Given two jobs with active leases; GitLab reports the first finished, no webhook came
    Made finished = TestLeases.create(TestLeases.lease());
    Made running = TestLeases.create(TestLeases.lease());
    BrokerTestResource.gitlab().setJobStatus(finished.jobId(), "success");

    // When the sweeper reconciles (the leases are due for a check a minute after issue)
    sweeper.sweepAt(Instant.now().plus(Duration.ofMinutes(2)));

    assertThat(StateProbe.leaseState(finished.id())).isEqualTo("revoked");
    assertThat(TestLeases.properties(finished.id()))
        .containsEntry("revokeReason", "job_finished_reconciled");
    assertThat(TestLeases.userExists(finished.username())).isFalse();
    assertThat(StateProbe.leaseState(running.id())).isEqualTo("active");
    assertThat(TestLeases.properties(running.id())).containsKey("reconciledAt");
  }

  @Test
  void a_deleted_job_is_revoked_and_reconciliation_goes_on_with_the_instance() {
    // Given the oldest-checked lease's job was deleted (GitLab answers 404) and the next one's
    // job finished without a webhook
    Instant longAgo = Instant.now().minus(Duration.ofDays(30));
    Made deleted = TestLeases.create(TestLeases.lease().issuedAt(longAgo));
    Made finished = TestLeases.create(TestLeases.lease().issuedAt(longAgo.plusSeconds(1)));
    BrokerTestResource.gitlab().deleteJob(deleted.jobId());
    BrokerTestResource.gitlab().setJobStatus(finished.jobId(), "success");

    // When the sweeper reconciles
    sweeper.sweepAt(Instant.now().plus(Duration.ofMinutes(2)));

    // Then the deleted job's lease is revoked as gone, and the instance was still asked about the
    // other job
    assertThat(TestLeases.properties(deleted.id()))
        .containsEntry("state", "revoked")
        .containsEntry("revokeReason", "job_gone_reconciled");
    assertThat(TestLeases.properties(finished.id()))
        .containsEntry("state", "revoked")
        .containsEntry("revokeReason", "job_finished_reconciled");
  }

  @Test
  void users_no_live_lease_owns_are_dropped_and_owned_users_kept() {
    Made owned = TestLeases.create(TestLeases.lease());
    Made orphan = TestLeases.create(TestLeases.lease().state("revoked"));
    String stray = "ci_22_1_stray" + System.nanoTime() % 100_000;
    try (Session s = SharedNeo4j.admin().session(SessionConfig.forDatabase("system"))) {
      s.run("CREATE USER $u SET PASSWORD 'stray-password' CHANGE NOT REQUIRED", Map.of("u", stray))
          .consume();
    }

    sweeper.sweepOnce();

    assertThat(TestLeases.userExists(orphan.username())).isFalse();
    assertThat(TestLeases.userExists(stray)).isFalse();
    assertThat(TestLeases.userExists(owned.username())).isTrue();
    assertThat(TestLeases.userExists("neo4j")).isTrue();
  }

  @Test
  void used_jtis_and_webhook_keys_are_pruned_after_they_expire() {
    String tag = "prune-" + System.nanoTime();
    try (Session s = SharedNeo4j.stateAdmin().session()) {
      s.run(
              "CREATE (:UsedJti {key: $t + '-old', expiresAt: datetime() - duration('PT1M')}),"
                  + " (:UsedJti {key: $t + '-new', expiresAt: datetime() + duration('PT1H')}),"
                  + " (:WebhookDelivery {key: $t + '-old', expiresAt: datetime() - duration('PT1M')}),"
                  + " (:WebhookDelivery {key: $t + '-new', expiresAt: datetime() + duration('P1D')})",
              Map.of("t", tag))
          .consume();
    }

    sweeper.sweepOnce();

    try (Session s = SharedNeo4j.stateAdmin().session()) {
      List<String> left =
          s.run(
                  "MATCH (n) WHERE (n:UsedJti OR n:WebhookDelivery) AND n.key STARTS WITH $t"
                      + " RETURN labels(n)[0] + ':' + n.key AS k ORDER BY k",
                  Map.of("t", tag))
              .list(r -> r.get("k").asString());
      assertThat(left)
          .containsExactly("UsedJti:" + tag + "-new", "WebhookDelivery:" + tag + "-new");
    }
  }

  @Test
  void decisions_past_their_retention_are_pruned_except_those_of_live_leases() {
    // Given decisions of 31 days ago (a denial, one that issued a live lease, one that issued a
    // lease since revoked) and a denial of yesterday; the retention is 30 days by default
    String tag = "decision-" + System.nanoTime();
    Made live = TestLeases.create(TestLeases.lease());
    Made ended = TestLeases.create(TestLeases.lease().state("revoked"));
    try (Session s = SharedNeo4j.stateAdmin().session()) {
      s.run(
              """
              CREATE (:Decision {id: $t + '-denied-old', at: datetime() - duration('P31D')}),
                     (:Decision {id: $t + '-denied-new', at: datetime() - duration('P1D')})
              WITH 1 AS one
              MATCH (live:Lease {id: $live}), (ended:Lease {id: $ended})
              CREATE (:Decision {id: $t + '-live-old', at: datetime() - duration('P31D')})
                       -[:ISSUED]->(live),
                     (:Decision {id: $t + '-ended-old', at: datetime() - duration('P31D')})
                       -[:ISSUED]->(ended)
              """,
              Map.of("t", tag, "live", live.id(), "ended", ended.id()))
          .consume();
    }

    // When the sweeper runs
    sweeper.sweepOnce();

    // Then the old denial and the old decision of the ended lease are gone
    try (Session s = SharedNeo4j.stateAdmin().session()) {
      List<String> left =
          s.run(
                  "MATCH (d:Decision) WHERE d.id STARTS WITH $t RETURN d.id AS id ORDER BY id",
                  Map.of("t", tag))
              .list(r -> r.get("id").asString());
      assertThat(left).containsExactly(tag + "-denied-new", tag + "-live-old");
    }
  }

  @Test
  void two_sweepers_revoke_300_expired_leases_exactly_once_and_miss_none() throws Exception {
    // Given 300 expired leases with real users
    Instant t0 = Instant.now();
    List<Made> leases =
        TestLeases.create(TestLeases.lease().expiresAt(Instant.now().minusSeconds(1)), 300);
    System.out.printf(
        "MEASURE created 300 leases + users in %d ms%n",
        Duration.between(t0, Instant.now()).toMillis());

    // When two sweepers (as on two replicas) run at the same moment
    ExecutorService pool = Executors.newFixedThreadPool(2);
    CountDownLatch start = new CountDownLatch(1);
    List<CompletableFuture<Sweeper.Report>> runs = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      runs.add(
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  start.await();
                } catch (InterruptedException e) {
                  throw new IllegalStateException(e);
                }
                return sweeper.sweepOnce();
              },
              pool));
    }
    Instant started = Instant.now();
    start.countDown();
    Sweeper.Report a = runs.get(0).get();
    Sweeper.Report b = runs.get(1).get();
    pool.shutdown();
    System.out.printf(
        "MEASURE two concurrent sweeps revoked 300 leases in %d ms (split %d/%d)%n",
        Duration.between(started, Instant.now()).toMillis(),
        a.count("expired"),
        b.count("expired"));

    // Then every lease was revoked by exactly one of them and no user is left
    try (Session s = SharedNeo4j.stateAdmin().session()) {
      Map<String, Object> r =
          s.run(
                  "MATCH (l:Lease) WHERE l.id IN $ids"
                      + " RETURN count(l) AS n, sum(l.revocations) AS revocations,"
                      + " collect(DISTINCT l.state) AS states",
                  Map.of("ids", leases.stream().map(Made::id).toList()))
              .single()
              .asMap();
      assertThat(r).containsEntry("n", 300L).containsEntry("revocations", 300L);
      assertThat(r.get("states")).isEqualTo(List.of("revoked"));
    }
    assertThat(a.count("expired") + b.count("expired")).isEqualTo(300);
    List<String> users = StateProbe.brokerUsers();
    assertThat(leases).noneMatch(l -> users.contains(l.username()));
  }

  @Test
  void metrics_count_revocations_and_active_leases() {
    TestLeases.create(TestLeases.lease().expiresAt(Instant.now().minusSeconds(1)));
    sweeper.sweepOnce();

    String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
    assertThat(metrics)
        .contains("broker_revocations_total{outcome=\"revoked\",trigger=\"expired\"}")
        .contains("broker_revocation_delay_seconds_count{trigger=\"expired\"}")
        .contains("broker_leases_active{target=\"demo\"}")
        .contains("broker_leases_active{target=\"fragile\"}");
  }
}
