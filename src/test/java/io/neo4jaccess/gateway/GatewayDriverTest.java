package io.neo4jaccess.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.neo4jaccess.testing.SharedNeo4j;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.neo4j.driver.Bookmark;
import org.neo4j.driver.Driver;
import org.neo4j.driver.Record;
import org.neo4j.driver.Result;
import org.neo4j.driver.Session;
import org.neo4j.driver.SessionConfig;
import org.neo4j.driver.TransactionConfig;
import org.neo4j.driver.Values;
import org.neo4j.driver.exceptions.ClientException;
import org.neo4j.driver.exceptions.TransientException;

/** The real Java driver (6.0, Bolt 5.8 via the handshake manifest) through the gateway. */
class GatewayDriverTest {

  @RegisterExtension static final GatewayFixture gateway = GatewayFixture.start();
  private static GatewayFixture.Lease lease;
  private static Driver driver;

  @BeforeAll
  static void start() {
    lease = gateway.lease(Access.WRITE);
    driver = gateway.driver(lease);
  }

  @AfterAll
  static void stop() {
    try (Session s = SharedNeo4j.admin().session()) {
      s.run("MATCH (n:GatewayDriverTest) DETACH DELETE n").consume();
    }
  }

  @Test
  void an_auto_commit_query_returns_its_rows() {
    try (Session s = driver.session()) {
      List<Integer> rows = s.run("UNWIND [1, 2, 3] AS i RETURN i").list(r -> r.get("i").asInt());

      assertThat(rows).containsExactly(1, 2, 3);
    }
  }

  @Test
  void an_explicit_transaction_commits_its_writes() {
    // given
    try (Session s = driver.session();
        var tx = s.beginTransaction()) {
      tx.run("CREATE (:GatewayDriverTest {name: 'committed'})").consume();
      // when
      tx.commit();
    }

    // then
    assertThat(adminCount("committed")).isEqualTo(1);
  }

  @Test
  void a_rolled_back_transaction_leaves_nothing() {
    try (Session s = driver.session();
        var tx = s.beginTransaction()) {
      tx.run("CREATE (:GatewayDriverTest {name: 'rolled back'})").consume();
      tx.rollback();
    }

    assertThat(adminCount("rolled back")).isZero();
  }

  @Test
  void a_transaction_function_is_retried_after_a_transient_failure() {
    AtomicInteger attempts = new AtomicInteger();

    try (Session s = driver.session()) {
      s.executeWriteWithoutResult(
          tx -> {
            tx.run("CREATE (:GatewayDriverTest {name: 'retried'})").consume();
            if (attempts.incrementAndGet() == 1) {
              throw new TransientException(
                  "Neo.TransientError.Transaction.DeadlockDetected", "first attempt fails");
            }
          });
    }

    assertThat(attempts).hasValue(2);
    assertThat(adminCount("retried")).isEqualTo(1);
  }

  @Test
  void bookmarks_carry_a_write_into_the_next_session() {
    // given
    List<Bookmark> bookmarks;
    try (Session writer = driver.session()) {
      writer.executeWriteWithoutResult(
          tx -> tx.run("CREATE (:GatewayDriverTest {name: 'bookmarked'})").consume());
      bookmarks = List.copyOf(writer.lastBookmarks());
    }

    // when
    long seen;
    try (Session reader =
        driver.session(SessionConfig.builder().withBookmarks(bookmarks).build())) {
      seen =
          reader.executeRead(
              tx ->
                  tx.run("MATCH (n:GatewayDriverTest {name: 'bookmarked'}) RETURN count(n) AS c")
                      .single()
                      .get("c")
                      .asLong());
    }

    // then
    assertThat(bookmarks).isNotEmpty();
    assertThat(seen).isEqualTo(1);
  }

  @Test
  void a_neo4j_scheme_driver_is_routed_to_the_gateway_only() {
    // given
    Driver routing = gateway.driver(lease, "neo4j");
    int before = gateway.audit.count("auto-commit queries", lease.id());

    // when
    for (int i = 0; i < 5; i++) {
      try (Session s = routing.session()) {
        s.executeRead(tx -> tx.run("RETURN 1").consume());
        s.run("RETURN 2").consume();
      }
    }

    // then every query came through the gateway: none went to the address Neo4j advertises
    assertThat(gateway.audit.count("auto-commit queries", lease.id()) - before).isEqualTo(5);
  }

  @Test
  void a_100000_record_result_is_streamed_whole() {
    try (Session s = driver.session()) {
      Result result = s.run("UNWIND range(1, 100000) AS i RETURN i");
      long count = 0;
      long sum = 0;
      while (result.hasNext()) {
        sum += result.next().get("i").asLong();
        count++;
      }

      assertThat(count).isEqualTo(100_000);
      assertThat(sum).isEqualTo(100_000L * 100_001L / 2);
    }
  }

  @Test
  void every_parameter_type_round_trips() {
    Map<String, Object> values = new LinkedHashMap<>();
    values.put("null", null);
    values.put("boolean", true);
    values.put("integer", Long.MIN_VALUE);
    values.put("float", -1.5e300);
    values.put("string", "grüße ✓ " + "x".repeat(200_000));
    values.put("bytes", new byte[] {0, 1, -1, 127, -128});
    values.put("list", List.of(1L, "two", List.of(3L, List.of(4.0)), Map.of("five", 5L)));
    values.put("map", Map.of("nested", Map.of("deeper", List.of(true, false))));
    values.put("date", LocalDate.of(2026, 2, 28));
    values.put("localTime", LocalTime.of(23, 59, 58, 123_456_789));
    values.put("time", OffsetTime.of(1, 2, 3, 4, ZoneOffset.ofHours(-5)));
    values.put("localDateTime", LocalDateTime.of(2026, 3, 29, 2, 30));
    values.put(
        "zonedDateTime", ZonedDateTime.of(2026, 10, 25, 2, 30, 0, 0, ZoneId.of("Europe/Berlin")));
    values.put("offsetDateTime", ZonedDateTime.of(2026, 1, 1, 0, 0, 0, 1, ZoneOffset.ofHours(14)));
    values.put("duration", Values.isoDuration(14, 3, 7200, 5).asIsoDuration());
    values.put("point2d", Values.point(7203, 1.5, -2.5).asPoint());
    values.put("point3d", Values.point(4979, 12.99, 55.6, 120.0).asPoint());

    try (Session s = driver.session()) {
      Record row = s.run("RETURN $values AS values", Map.of("values", values)).single();
      Map<String, Object> back = row.get("values").asMap();

      values.forEach(
          (key, sent) -> {
            Object got = back.get(key);
            if (sent instanceof byte[] bytes) {
              assertThat((byte[]) got).as(key).isEqualTo(bytes);
            } else {
              assertThat(got).as(key).isEqualTo(sent);
            }
          });
    }
  }

  @Test
  void a_server_error_reaches_the_client_with_its_neo4j_code() {
    try (Session s = driver.session()) {
      assertThatThrownBy(() -> s.run("RETURN 1 / 0").consume())
          .isInstanceOf(ClientException.class)
          .extracting(e -> ((ClientException) e).code())
          .isEqualTo("Neo.ClientError.Statement.ArithmeticError");

      assertThat(s.run("RETURN 'still usable' AS x").single().get("x").asString())
          .isEqualTo("still usable");
    }
  }

  @Test
  void closing_a_session_mid_stream_ends_the_query() {
    // given a result far too long to read
    try (Session s = driver.session()) {
      Result endless = s.run("UNWIND range(1, 1000000000) AS i RETURN i");
      assertThat(endless.next().get("i").asLong()).isEqualTo(1);
    } // when the session closes with the result unread

    // then Neo4j runs nothing for the job any more, and the connection serves the next session
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> runningTransactions(lease.user()) == 0);
    try (Session s = driver.session()) {
      assertThat(s.run("RETURN 42 AS x").single().get("x").asInt()).isEqualTo(42);
    }
  }

  @Test
  void every_transaction_carries_the_leases_metadata_over_the_clients() {
    Map<String, Object> clientMetadata = Map.of("app", "loader", "lease", "forged");

    try (Session s = driver.session();
        var tx =
            s.beginTransaction(TransactionConfig.builder().withMetadata(clientMetadata).build())) {
      Map<String, Object> metadata = tx.run("CALL tx.getMetaData()").single().get(0).asMap();

      assertThat(metadata)
          .containsEntry("app", "loader")
          .containsEntry("lease", lease.id())
          .containsEntry("project", "group/project")
          .containsEntry("pipeline", 77L)
          .containsEntry("job", lease.grant().job());
    }
  }

  @Test
  void neo4j_sees_the_jobs_own_user() {
    try (Session s = driver.session()) {
      String user = s.run("SHOW CURRENT USER YIELD user").single().get("user").asString();

      assertThat(user).isEqualTo(lease.user());
    }
  }

  private static long adminCount(String name) {
    try (Session s = SharedNeo4j.admin().session()) {
      return s.run(
              "MATCH (n:GatewayDriverTest {name: $name}) RETURN count(n) AS c",
              Map.of("name", name))
          .single()
          .get("c")
          .asLong();
    }
  }

  static long runningTransactions(String user) {
    try (Session s = SharedNeo4j.admin().session()) {
      return s.run(
              "SHOW TRANSACTIONS YIELD username, currentQuery WHERE username = $u"
                  + " AND NOT currentQuery STARTS WITH 'SHOW' RETURN count(*) AS c",
              Map.of("u", user))
          .single()
          .get("c")
          .asLong();
    }
  }
}
