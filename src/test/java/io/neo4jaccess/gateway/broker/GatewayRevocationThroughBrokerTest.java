package io.neo4jaccess.gateway.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.neo4jaccess.testing.BrokerTestResource;
import io.neo4jaccess.testing.GatewayJobs;
import io.neo4jaccess.testing.GatewayJobs.Project;
import io.neo4jaccess.testing.SharedNeo4j;
import io.neo4jaccess.testing.StateProbe;
import io.neo4jaccess.testing.Webhooks;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.neo4j.driver.Driver;
import org.neo4j.driver.Session;
import org.neo4j.driver.Transaction;
import org.neo4j.driver.TransactionConfig;
import org.neo4j.driver.exceptions.AuthenticationException;

/**
 * Revocation through the real broker cuts a job off the gateway at once: the Job Hook of a job in
 * the middle of a long query ends that query's connection within a second, and the lease's
 * credentials log in no more.
 */
@QuarkusTest
@WithTestResource(BrokerTestResource.class)
public class GatewayRevocationThroughBrokerTest {

  /**
   * Waits for a node's write lock, which the test holds, for as long as it holds it: a long query
   * that burns no CPU on the shared machine. The transaction timeout ends it if all else fails.
   */
  static final String LONG_QUERY =
      "MATCH (n:RevocationBlocker {id: $id}) SET n.touched = true RETURN n.id AS id";

  @Test
  void the_job_hook_cuts_a_long_running_query_within_a_second() throws Exception {
    // given a job whose long query runs on the server through the gateway
    GatewayJobs.Issued job = GatewayJobs.exchange(Project.WRITE);
    try (Driver driver = GatewayJobs.driver(job)) {
      // when GitLab reports the job finished, then the query's connection ended within the second
      // of the broker recording it
      assertThat(cutByJobHook(job, driver)).isLessThan(Duration.ofSeconds(1));
    }
  }

  @Test
  void after_the_job_hook_a_new_login_with_the_lease_is_refused() {
    // given a job that used the gateway
    GatewayJobs.Issued job = GatewayJobs.exchange(Project.READ);
    try (Driver driver = GatewayJobs.driver(job);
        Session s = driver.session()) {
      assertThat(s.run("RETURN 1 AS one").single().get("one").asInt()).isEqualTo(1);
    }

    // when its Job Hook arrives and the lease is revoked
    Webhooks.deliver(
            Webhooks.jobHook(Project.READ.id, job.pipelineId(), job.jobId(), "success"), "Job Hook")
        .statusCode(200);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> "revoked".equals(StateProbe.leaseState(job.leaseId())));

    // then the same credentials log in no more
    try (Driver again = GatewayJobs.driver(job)) {
      assertThatThrownBy(again::verifyConnectivity).isInstanceOf(AuthenticationException.class);
    }
  }

  /**
   * Runs a long query of {@code job} through {@code driver} and, once it runs on the server,
   * delivers the job's Job Hook to the broker under test: answers how long after the broker
   * answered the hook (it has recorded it then) the query ended, which it must, in an error. How
   * long the broker took to answer is printed: on a machine whose cores are all busy that alone can
   * take a second.
   */
  public static Duration cutByJobHook(GatewayJobs.Issued job, Driver driver) throws Exception {
    Map<String, Object> blocker = Map.of("id", job.leaseId());
    try (Session admin = SharedNeo4j.admin().session()) {
      admin.run("CREATE (:RevocationBlocker {id: $id})", blocker).consume();
      try (Transaction holder = admin.beginTransaction()) {
        holder.run("MATCH (n:RevocationBlocker {id: $id}) SET n.held = true", blocker).consume();
        CompletableFuture<Throwable> query = runLong(driver, blocker);
        awaitRunning(job.leaseId());
        long sent = System.nanoTime();
        Webhooks.deliver(
                Webhooks.jobHook(job.project().id, job.pipelineId(), job.jobId(), "success"),
                "Job Hook")
            .statusCode(200);
        long answered = System.nanoTime();
        Throwable cut = query.get(30, TimeUnit.SECONDS);
        Duration took = Duration.ofNanos(System.nanoTime() - answered);
        System.out.printf(
            "Job Hook answered in %d ms; the query was cut %d ms later%n",
            Duration.ofNanos(answered - sent).toMillis(), took.toMillis());
        assertThat(cut).as("the query ended in an error").isNotNull();
        holder.rollback();
        return took;
      } finally {
        admin.run("MATCH (n:RevocationBlocker {id: $id}) DELETE n", blocker).consume();
      }
    }
  }

  private static CompletableFuture<Throwable> runLong(
      Driver driver, Map<String, Object> parameters) {
    return CompletableFuture.supplyAsync(
        () -> {
          try (Session s = driver.session()) {
            s.run(
                    LONG_QUERY,
                    parameters,
                    TransactionConfig.builder().withTimeout(Duration.ofSeconds(60)).build())
                .consume();
            return null;
          } catch (RuntimeException e) {
            return e;
          }
        });
  }

  /**
   * Waits until the lease's query runs on the server, found by its transaction metadata: the same
   * whichever login the gateway runs it on.
   */
  private static void awaitRunning(String leaseId) {
    await()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(50))
        .until(
            () -> {
              try (Session s = SharedNeo4j.admin().session()) {
                return s.run(
                            "SHOW TRANSACTIONS YIELD metaData, currentQuery"
                                + " WHERE metaData.lease = $lease"
                                + " AND currentQuery STARTS WITH 'MATCH'"
                                + " RETURN count(*) AS n",
                            Map.of("lease", leaseId))
                        .single()
                        .get("n")
                        .asLong()
                    > 0;
              }
            });
  }
}
