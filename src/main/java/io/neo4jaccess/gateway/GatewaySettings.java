package io.neo4jaccess.gateway;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The shared settings of a gateway as plain values, so that a gateway runs without Quarkus (tests,
 * benchmarks). {@link #from(GatewayConfig)} reads them from the broker's configuration; the keys
 * are documented there.
 */
public record GatewaySettings(
    Optional<TlsFiles> tls,
    Duration handshakeTimeout,
    Duration idleTimeout,
    int maxMessageBytes,
    int maxLoginMessageBytes,
    int maxNestingDepth,
    int maxConnections,
    int maxConnectionsPerLease,
    Duration routeTtl) {

  /** A PEM certificate chain and its private key. */
  public record TlsFiles(Path certificate, Path key) {}

  /** The defaults of {@link GatewayConfig}, without TLS. */
  public static GatewaySettings defaults() {
    return new GatewaySettings(
        Optional.empty(),
        Duration.ofSeconds(10),
        Duration.ofMinutes(30),
        16 * 1024 * 1024,
        16 * 1024,
        64,
        2000,
        64,
        Duration.ofMinutes(5));
  }

  public static GatewaySettings from(GatewayConfig c) {
    Optional<TlsFiles> tls = Optional.empty();
    if (c.tls().certificate().isPresent() != c.tls().key().isPresent()) {
      throw new IllegalStateException(
          "broker.gateway.tls.certificate and broker.gateway.tls.key go together");
    }
    if (c.tls().certificate().isPresent()) {
      tls = Optional.of(new TlsFiles(c.tls().certificate().get(), c.tls().key().get()));
    }
    return new GatewaySettings(
        tls,
        c.handshakeTimeout(),
        c.idleTimeout(),
        (int) Math.min(Integer.MAX_VALUE, c.maxMessageSize().asLongValue()),
        (int) Math.min(Integer.MAX_VALUE, c.maxLoginMessageSize().asLongValue()),
        c.maxNestingDepth(),
        c.maxConnections(),
        c.maxConnectionsPerLease(),
        c.routeTtl());
  }

  public GatewaySettings withTls(TlsFiles files) {
    return new GatewaySettings(
        Optional.of(files),
        handshakeTimeout,
        idleTimeout,
        maxMessageBytes,
        maxLoginMessageBytes,
        maxNestingDepth,
        maxConnections,
        maxConnectionsPerLease,
        routeTtl);
  }
}
