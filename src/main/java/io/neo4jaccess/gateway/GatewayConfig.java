package io.neo4jaccess.gateway;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Settings every gateway listener shares. Which targets have a gateway, and where each listens, is
 * set per target ({@code broker.neo4j.targets.<name>.gateway.*}).
 */
@ConfigMapping(prefix = "broker.gateway")
public interface GatewayConfig {

  /** TLS of the gateway's listeners. Without it they speak plain Bolt, if allowed. */
  Tls tls();

  /**
   * Lets the packaged broker listen for plain Bolt (no TLS), which carries lease passwords in clear
   * text. Only for a listener reachable on a trusted network; development and tests allow it.
   */
  @WithDefault("false")
  boolean allowPlain();

  /** Time from TCP connect to a completed login; a client slower than this is disconnected. */
  @WithDefault("10s")
  Duration handshakeTimeout();

  /**
   * Time a logged-in connection may stay silent with no request in flight before it is closed.
   * Drivers open a new connection when they find a pooled one closed.
   */
  @WithDefault("30m")
  Duration idleTimeout();

  /**
   * Largest request message after login. A message that announces more is refused before it is
   * buffered. The default holds a 10,000-row UNWIND load of ~1 KB rows with room to spare.
   */
  @WithDefault("16M")
  MemorySize maxMessageSize();

  /** Largest message before login (HELLO, LOGON): credentials and driver details only. */
  @WithDefault("16K")
  MemorySize maxLoginMessageSize();

  /** Deepest nesting of lists, maps and structures in a request. */
  @WithDefault("64")
  int maxNestingDepth();

  /** Most client connections one broker accepts over all gateway targets; more are closed. */
  @WithDefault("2000")
  int maxConnections();

  /** Most connections one lease may hold at once on this broker; a login beyond is refused. */
  @WithDefault("64")
  int maxConnectionsPerLease();

  /** How long drivers may cache the routing table the gateway answers (its own address only). */
  @WithDefault("5m")
  Duration routeTtl();

  /**
   * How often what the gateway counted per lease (connections, transactions, queries, refusals) is
   * added to the state graph; a lease's counts are also written when it is revoked.
   */
  @WithDefault("5s")
  Duration auditFlushInterval();

  /**
   * How often each replica asks the state store whether the leases it holds gateway connections for
   * are still active, and closes those of leases that are not. The replica that revokes a lease
   * closes its own connections at once; this bounds how long another replica's stay open (Neo4j
   * ends a killed connection only once its running query stops, which can take seconds). For pooled
   * targets ({@code gateway.upstream: pooled}) nothing on the server cuts another replica's
   * connections, so this alone bounds how long they outlive a revocation: on 2 cores, from a Job
   * Hook to another replica's connection closed took p99 70 ms at 25 ms and 109 ms at 50 ms. Each
   * check is one read by lease id, and none runs while the replica holds no connection.
   */
  @WithDefault("25ms")
  Duration leaseCheckInterval();

  /** Query texts whose classification is kept, so that a repeated query costs a map lookup. */
  @WithDefault("10000")
  int classifierCacheSize();

  /** PEM files of the listeners' certificate. */
  interface Tls {
    /** PEM certificate chain, the server certificate first. */
    Optional<Path> certificate();

    /** PEM private key of the certificate (PKCS#8 or PKCS#1). */
    Optional<Path> key();
  }
}
