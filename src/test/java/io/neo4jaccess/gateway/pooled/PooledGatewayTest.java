package io.neo4jaccess.gateway.pooled;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import io.neo4jaccess.gateway.GatewayConnections;
import io.neo4jaccess.gateway.broker.GatewayRevocationThroughBrokerTest;
import io.neo4jaccess.lease.LeaseSeal;
import io.neo4jaccess.lease.PooledLogins;
import io.neo4jaccess.lease.Secrets;
import io.neo4jaccess.neo4j.Targets;
import io.neo4jaccess.policy.Access;
import io.neo4jaccess.sweep.Sweeper;
import io.neo4jaccess.testing.BrokerTestResource;
import io.neo4jaccess.testing.GatewayJobs;
import io.neo4jaccess.testing.GatewayJobs.Project;
import io.neo4jaccess.testing.SharedNeo4j;
import io.neo4jaccess.testing.StateProbe;
import io.neo4jaccess.testing.TestLeases;
import io.neo4jaccess.testing.Webhooks;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.neo4j.driver.Driver;
import org.neo4j.driver.Record;
import org.neo4j.driver.Session;
import org.neo4j.driver.SessionConfig;
import org.neo4j.driver.Transaction;
import org.neo4j.driver.exceptions.AuthenticationException;
import org.neo4j.driver.exceptions.Neo4jException;

/**
 * Target {@code gated} in pooled mode, through the real broker: an exchange creates no Neo4j user
 * and stores only its password's hash; the gateway checks the password against it and runs the
 * job's sessions on the broker's pooled login for the grant's mode, with the grant enforced.
 */
@QuarkusTest
@WithTestResource(BrokerTestResource.class)
@TestProfile(PooledTarget.class)
class PooledGatewayTest {

  @Inject PooledLogins pooled;
  @Inject GatewayConnections connections;
  @Inject Sweeper sweeper;
  @Inject Targets targets;
  @Inject LeaseSeal seal;

  @Test
  void a_pooled_exchange_creates_no_neo4j_user() {
    // given the server's users
    List<String> before = users();

    // when a job exchanges its token
    GatewayJobs.Issued job = GatewayJobs.exchange(Project.READ);

    // then no user was created, and the lease is active and enforced by the gateway
    assertThat(users()).isEqualTo(before);
    assertThat(StateProbe.leaseState(job.leaseId())).isEqualTo("active");
    assertThat(job.answer().getString("enforcement")).isEqualTo("gateway");
  }

  @Test
  void a_pooled_lease_reads_through_the_gateway_and_is_refused_a_write() {
    // given a job with a read grant
    GatewayJobs.Issued job = GatewayJobs.exchange(Project.READ);
    try (Driver driver = GatewayJobs.driver(job);
        Session s = driver.session()) {
      // when it reads, then it reads
      assertThat(s.run("RETURN 1 AS one").single().get("one").asInt()).isEqualTo(1);

      // when it writes, then the gateway refuses it
      Neo4jException refused =
          catchThrowableOfType(
              Neo4jException.class, () -> s.run("CREATE (:PooledWrite)").consume());
      assertThat(refused.code()).isEqualTo("Neo.ClientError.Security.Forbidden");
    }
  }

  @Test
  void a_transaction_runs_on_the_pooled_login_with_the_leases_tx_metadata() {
    // given a job with a write grant, in a transaction through the gateway
    GatewayJobs.Issued job = GatewayJobs.exchange(Project.WRITE);
    try (Driver driver = GatewayJobs.driver(job);
        Session s = driver.session();
        Transaction tx = s.beginTransaction()) {
      tx.run("RETURN 1").consume();

      // when the server lists its transactions
      Record seen;
      try (Session admin = SharedNeo4j.admin().session()) {
        seen =
            admin
                .run(
                    "SHOW TRANSACTIONS YIELD username, metaData"
                        + " WHERE metaData.lease = $id RETURN username, metaData",
                    Map.of("id", job.leaseId()))
                .single();
      }

      // then the job's runs on the pooled write login and names the lease
      assertThat(seen.get("username").asString()).isEqualTo("neo4j_access_pool_write");
      assertThat(seen.get("metaData").asMap())
          .containsEntry("project", Project.WRITE.path)
          .containsEntry("job", job.jobId());
    }
  }

  @Test
  void the_summary_shows_a_pooled_lease_as_any_gateway_lease() {
    GatewayJobs.Issued job = GatewayJobs.exchange(Project.READ);

    JsonPath summary =
        given().get("/v1/leases/" + job.leaseId()).then().statusCode(200).extract().jsonPath();

    assertThat(summary.getString("state")).isEqualTo("active");
    assertThat(summary.getString("enforcement")).isEqualTo("gateway");
    assertThat(summary.prettify()).doesNotContain(job.password());
  }

  @Test
  void the_summary_page_names_the_pooled_login_neo4j_sees_and_the_jobs_gateway_login() {
    GatewayJobs.Issued job = GatewayJobs.exchange(Project.READ);

    String page = GatewayJobs.summaryPage(job);

    assertThat(page)
        .contains("<th>Gateway login</th><td>" + job.username() + "</td>")
        .contains("<th>Neo4j login</th><td>neo4j_access_pool_read <span")
        .doesNotContain("<th>Neo4j user</th>")
        .doesNotContain(job.password());
  }

  @Test
  void a_wrong_password_is_refused() {
    GatewayJobs.Issued job = GatewayJobs.exchange(Project.READ);

    try (Driver driver = GatewayJobs.driver(job.uri(), job.username(), "not-" + job.password())) {
      assertThatThrownBy(driver::verifyConnectivity).isInstanceOf(AuthenticationException.class);
    }
  }

  @Test
  void the_state_graph_holds_the_passwords_hash_and_never_the_password() {
    GatewayJobs.Issued job = GatewayJobs.exchange(Project.READ);

    Map<String, Object> stored = TestLeases.properties(job.leaseId());

    assertThat(stored)
        .containsEntry("upstream", "pooled")
        .containsEntry("passwordSha256", Secrets.sha256(job.password()));
    assertThat(stored.values()).noneMatch(v -> String.valueOf(v).contains(job.password()));
    assertThat(stateGraphPropertiesHolding(Secrets.sha256(job.password()))).isEqualTo(1);
    assertThat(stateGraphPropertiesHolding(job.password())).isZero();
  }

  /** How many string properties of the whole state graph contain {@code text}. */
  private static long stateGraphPropertiesHolding(String text) {
    try (Session state = SharedNeo4j.stateAdmin().session()) {
      return state
          .run(
              "MATCH (n) UNWIND keys(n) AS k WITH n[k] AS v"
                  + " WHERE v IS :: STRING AND v CONTAINS $text RETURN count(*) AS n",
              Map.of("text", text))
          .single()
          .get("n")
          .asLong();
    }
  }

  @Test
  void a_tampered_password_hash_is_a_forgery() {
    // given a lease whose hash a writer of the state store replaced with one of its own password
    GatewayJobs.Issued job = GatewayJobs.exchange(Project.READ);
    TestLeases.alter(job.leaseId(), "passwordSha256", Secrets.sha256("the-writers-password"));

    // when the writer logs in with its password, then it is refused
    try (Driver driver = GatewayJobs.driver(job.uri(), job.username(), "the-writers-password")) {
      assertThatThrownBy(driver::verifyConnectivity).isInstanceOf(AuthenticationException.class);
    }
    // and the lease is stamped forged
    assertThat(TestLeases.properties(job.leaseId())).containsKey("forgedAt");
  }

  @Test
  void the_job_hook_closes_a_pooled_connection_and_refuses_a_new_login() {
    // given a job with a session through the gateway
    GatewayJobs.Issued job = GatewayJobs.exchange(Project.READ);
    try (Driver driver = GatewayJobs.driver(job);
        Session s = driver.session()) {
      s.run("RETURN 1").consume();
      assertThat(connections.count(job.leaseId())).isPositive();

      // when its Job Hook arrives
      Webhooks.deliver(
              Webhooks.jobHook(Project.READ.id, job.pipelineId(), job.jobId(), "success"),
              "Job Hook")
          .statusCode(200);

      // then its connection is closed, and the lease revoked
      await().atMost(Duration.ofSeconds(5)).until(() -> connections.count(job.leaseId()) == 0);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> "revoked".equals(StateProbe.leaseState(job.leaseId())));
    }
    // and the same credentials log in no more
    try (Driver again = GatewayJobs.driver(job)) {
      assertThatThrownBy(again::verifyConnectivity).isInstanceOf(AuthenticationException.class);
    }
  }

  @Test
  void the_job_hook_cuts_a_long_running_pooled_query_within_a_second() throws Exception {
    // given a pooled job whose long query runs on the server through the gateway
    GatewayJobs.Issued job = GatewayJobs.exchange(Project.WRITE);
    try (Driver driver = GatewayJobs.driver(job)) {
      // when GitLab reports the job finished, then the query's connection ended within the second
      assertThat(GatewayRevocationThroughBrokerTest.cutByJobHook(job, driver))
          .isLessThan(Duration.ofSeconds(1));
    }
  }

  @Test
  void reconciliation_revokes_a_pooled_lease_whose_job_ended_and_closes_its_connection() {
    // given a job with a session through the gateway, which GitLab reports finished (no webhook)
    GatewayJobs.Issued job = GatewayJobs.exchange(Project.READ);
    try (Driver driver = GatewayJobs.driver(job);
        Session s = driver.session()) {
      s.run("RETURN 1").consume();
      BrokerTestResource.gitlab().setJobStatus(job.jobId(), "success");

      // when the sweeper reconciles (leases are due for a check a minute after issue)
      sweeper.sweepAt(PooledTarget.CLOCK.instant().plus(Duration.ofMinutes(2)));

      // then the lease is revoked, its connection closed, and the pooled login left in place
      assertThat(TestLeases.properties(job.leaseId()))
          .containsEntry("state", "revoked")
          .containsEntry("revokeReason", "job_finished_reconciled");
      assertThat(connections.count(job.leaseId())).isZero();
      assertThat(users()).contains("neo4j_access_pool_read");
    }
  }

  @Test
  void the_sweeper_revokes_an_expired_pooled_lease() {
    // given a job's pooled lease
    GatewayJobs.Issued job = GatewayJobs.exchange(Project.READ);

    // when the sweeper runs after its expiry (the test policy grants 10 minutes)
    sweeper.sweepAt(PooledTarget.CLOCK.instant().plus(Duration.ofMinutes(11)));

    // then it is revoked as expired, with no user to drop
    assertThat(TestLeases.properties(job.leaseId()))
        .containsEntry("state", "revoked")
        .containsEntry("revokeReason", "expired");
  }

  @Test
  void the_pooled_login_password_rotates_and_open_sessions_keep_working() {
    // given a job's open session on this period's pooled login
    GatewayJobs.Issued job = GatewayJobs.exchange(Project.READ);
    PooledLogins.Login before = pooled.login("gated", Access.READ);
    try (Driver driver = GatewayJobs.driver(job);
        Session open = driver.session()) {
      open.run("RETURN 1").consume();

      // when the next period begins and a new login needs its password
      PooledTarget.CLOCK.shift(PooledTarget.ROTATION);
      try (Driver later = GatewayJobs.driver(job);
          Session fresh = later.session()) {
        assertThat(fresh.run("RETURN 2 AS two").single().get("two").asInt()).isEqualTo(2);
      }

      // then the login's password changed, the old one is refused, and the open session works
      PooledLogins.Login after = pooled.login("gated", Access.READ);
      assertThat(after.password()).isNotEqualTo(before.password());
      assertThatThrownBy(() -> StateProbe.logsIn(before.user(), before.password()))
          .isInstanceOf(AuthenticationException.class);
      assertThat(StateProbe.logsIn(after.user(), after.password())).isTrue();
      assertThat(open.run("RETURN 3 AS three").single().get("three").asInt()).isEqualTo(3);
    }
  }

  @Test
  void another_replica_setting_the_same_periods_password_is_harmless() {
    // given this replica's login, its password set for this period
    PooledLogins.Login mine = pooled.login("gated", Access.FULL);

    // when another replica (same key, same clock) needs it and sets it again
    PooledLogins.Login theirs =
        new PooledLogins(targets, seal, PooledTarget.CLOCK).login("gated", Access.FULL);

    // then both have the same password, and it logs in
    assertThat(theirs).isEqualTo(mine);
    assertThat(StateProbe.logsIn(mine.user(), mine.password())).isTrue();
  }

  @Test
  void a_pooled_login_dropped_behind_the_brokers_back_is_made_again_after_one_refused_login() {
    // given a job with a full grant, and its pooled login dropped on the server by someone else
    GatewayJobs.Issued job = GatewayJobs.exchange(Project.FULL);
    pooled.login("gated", Access.FULL);
    try (Session s = SharedNeo4j.admin().session(SessionConfig.forDatabase("system"))) {
      s.run("DROP USER neo4j_access_pool_full").consume();
    }

    // when the job logs in, then its first login is refused upstream and the next one works
    try (Driver first = GatewayJobs.driver(job)) {
      assertThatThrownBy(first::verifyConnectivity).isInstanceOf(AuthenticationException.class);
    }
    try (Driver next = GatewayJobs.driver(job);
        Session s = next.session()) {
      assertThat(s.run("RETURN 1 AS one").single().get("one").asInt()).isEqualTo(1);
    }
  }

  @Test
  void the_orphan_sweep_leaves_the_pooled_logins_alone() {
    // given the pooled logins, made at start
    assertThat(users())
        .contains("neo4j_access_pool_read", "neo4j_access_pool_write", "neo4j_access_pool_full");

    // when the sweeper runs
    sweeper.sweepOnce();

    // then they are still there
    assertThat(users())
        .contains("neo4j_access_pool_read", "neo4j_access_pool_write", "neo4j_access_pool_full");
  }

  private static List<String> users() {
    try (Session s = SharedNeo4j.admin().session(SessionConfig.forDatabase("system"))) {
      return s.run("SHOW USERS YIELD user RETURN user ORDER BY user")
          .list(r -> r.get("user").asString());
    }
  }
}
