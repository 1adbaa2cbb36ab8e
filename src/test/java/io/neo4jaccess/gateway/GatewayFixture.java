package io.neo4jaccess.gateway;

import io.neo4jaccess.testing.SharedNeo4j;
import io.vertx.core.Vertx;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.neo4j.driver.AuthTokens;
import org.neo4j.driver.Config;
import org.neo4j.driver.Driver;
import org.neo4j.driver.GraphDatabase;
import org.neo4j.driver.SessionConfig;

/**
 * A {@link BoltGateway} run alone (its own Vert.x, no Quarkus) in front of the shared Neo4j, with
 * real job users there and the lease side as a map the test changes. Register it as a static
 * {@code @RegisterExtension} field: it closes after the class's tests.
 */
final class GatewayFixture implements AutoCloseable, AfterAllCallback {

  static final String TARGET = "gw";
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final AtomicLong JOBS = new AtomicLong(1000);

  final Vertx vertx = Vertx.vertx();
  final FixedGatewayLeases leases = new FixedGatewayLeases();
  final CountingAudit audit = new CountingAudit();
  final GatewayConnections connections;
  final BoltGateway gateway;
  private final List<Lease> created = new CopyOnWriteArrayList<>();
  private final List<Driver> drivers = new CopyOnWriteArrayList<>();

  /** A job user in Neo4j and an active lease for it. */
  record Lease(String user, String password, GatewayGrant grant) {
    String id() {
      return grant.leaseId();
    }
  }

  private GatewayFixture(GatewaySettings settings, StatementGuard guard) {
    connections =
        new GatewayConnections(
            settings.maxConnectionsPerLease(), settings.maxConnections(), Clock.systemUTC());
    GatewayTarget target =
        new GatewayTarget(
            TARGET,
            "127.0.0.1",
            0,
            Optional.empty(),
            GatewayTarget.Upstream.of(SharedNeo4j.boltUri()));
    gateway = new BoltGateway(vertx, settings, target, connections, leases, guard, audit);
    await(gateway.start().toCompletionStage().toCompletableFuture());
  }

  static GatewayFixture start() {
    return start(GatewaySettings.defaults(), StatementGuard.ALLOW_ALL);
  }

  static GatewayFixture start(GatewaySettings settings, StatementGuard guard) {
    return new GatewayFixture(settings, guard);
  }

  /** Settings with short timeouts and small limits, for tests that wait for them. */
  static GatewaySettings tight() {
    return new GatewaySettings(
        Optional.empty(),
        Duration.ofMillis(800),
        Duration.ofMillis(1500),
        1024 * 1024,
        4 * 1024,
        32,
        2000,
        3,
        Duration.ofMinutes(5));
  }

  Lease lease(Access access) {
    return lease(access, "neo4j");
  }

  /** Creates a job user and makes its lease active. */
  Lease lease(Access access, String database) {
    long job = JOBS.incrementAndGet();
    String user = "gw_" + job + "_" + hex(4);
    String password = hex(16);
    try (var s = SharedNeo4j.admin().session(SessionConfig.forDatabase("system"))) {
      s.run("CREATE USER $u SET PASSWORD $p CHANGE NOT REQUIRED", Map.of("u", user, "p", password))
          .consume();
    }
    GatewayGrant grant =
        new GatewayGrant(
            "lease-" + job,
            TARGET,
            database,
            access,
            false,
            false,
            new UpstreamLogin(user, password),
            "group/project",
            77,
            job);
    leases.add(grant);
    Lease lease = new Lease(user, password, grant);
    created.add(lease);
    return lease;
  }

  int port() {
    return gateway.port();
  }

  String uri(String scheme) {
    return scheme + "://127.0.0.1:" + port();
  }

  Driver driver(Lease lease) {
    return driver(lease, "bolt");
  }

  Driver driver(Lease lease, String scheme) {
    return driver(URI.create(uri(scheme)), lease.user(), lease.password());
  }

  Driver driver(URI uri, String user, String password) {
    Driver driver =
        GraphDatabase.driver(
            uri,
            AuthTokens.basic(user, password),
            Config.builder()
                .withMaxTransactionRetryTime(5, TimeUnit.SECONDS)
                .withConnectionTimeout(5, TimeUnit.SECONDS)
                .build());
    drivers.add(driver);
    return driver;
  }

  @Override
  public void afterAll(ExtensionContext context) {
    close();
  }

  @Override
  public void close() {
    drivers.forEach(Driver::close);
    await(gateway.stop().toCompletionStage().toCompletableFuture());
    await(vertx.close().toCompletionStage().toCompletableFuture());
    try (var s = SharedNeo4j.admin().session(SessionConfig.forDatabase("system"))) {
      for (Lease lease : created) {
        s.run("DROP USER $u IF EXISTS", Map.of("u", lease.user())).consume();
      }
    }
  }

  private static String hex(int bytes) {
    byte[] b = new byte[bytes];
    RANDOM.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  private static <T> T await(java.util.concurrent.CompletableFuture<T> future) {
    try {
      return future.get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
