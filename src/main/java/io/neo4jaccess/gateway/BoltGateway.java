package io.neo4jaccess.gateway;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.PemKeyCertOptions;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * One gateway listener: a Bolt server for jobs in front of one Neo4j target. It needs no framework,
 * only a {@link Vertx}, its settings and the ports to the lease side, so that tests and benchmarks
 * run it alone; the broker starts one per gateway target ({@link GatewayLauncher}).
 */
public final class BoltGateway {

  private static final Logger LOG = Logger.getLogger(BoltGateway.class);

  private final Vertx vertx;
  private final GatewaySettings settings;
  private final GatewayTarget target;
  private final GatewayConnections connections;
  private final GatewayLeases leases;
  private final StatementGuard guard;
  private final GatewayAudit audit;
  private final Set<GatewaySession> open = ConcurrentHashMap.newKeySet();
  private final AtomicLong ids = new AtomicLong();
  private NetServer server;
  private UpstreamDialer dialer;

  public BoltGateway(
      Vertx vertx,
      GatewaySettings settings,
      GatewayTarget target,
      GatewayConnections connections,
      GatewayLeases leases,
      StatementGuard guard,
      GatewayAudit audit) {
    this.vertx = vertx;
    this.settings = settings;
    this.target = target;
    this.connections = connections;
    this.leases = leases;
    this.guard = guard;
    this.audit = audit;
  }

  /** Listens; completes with the bound port. */
  public Future<Integer> start() {
    dialer = new UpstreamDialer(vertx, target.upstream(), settings.handshakeTimeout());
    GatewayContext context =
        new GatewayContext(
            vertx,
            settings,
            target,
            connections,
            leases,
            guard,
            audit,
            dialer,
            new TargetProbe(dialer),
            () -> target.routeAddress(server.actualPort()),
            open);
    NetServerOptions options =
        new NetServerOptions()
            .setHost(target.host())
            .setPort(target.port())
            .setTcpNoDelay(true)
            .setSslHandshakeTimeout(settings.handshakeTimeout().toMillis())
            .setSslHandshakeTimeoutUnit(TimeUnit.MILLISECONDS);
    settings
        .tls()
        .ifPresent(
            tls ->
                options
                    .setSsl(true)
                    .setKeyCertOptions(
                        new PemKeyCertOptions()
                            .setCertPath(tls.certificate().toString())
                            .setKeyPath(tls.key().toString())));
    server = vertx.createNetServer(options).connectHandler(socket -> accept(context, socket));
    return server
        .listen()
        .map(
            s -> {
              LOG.infof(
                  "gateway listening: target=%s address=%s:%d tls=%s",
                  target.name(), target.host(), s.actualPort(), settings.tls().isPresent());
              return s.actualPort();
            });
  }

  /** The port the listener is bound to. */
  public int port() {
    return server.actualPort();
  }

  /** Stops listening and closes every connection. */
  public Future<Void> stop() {
    open.forEach(GatewaySession::close);
    dialer.close();
    return server.close();
  }

  private void accept(GatewayContext context, NetSocket socket) {
    if (!connections.admit()) {
      LOG.warnf("gateway connection limit reached: target=%s", target.name());
      socket.close();
      return;
    }
    GatewaySession session =
        new GatewaySession(context, socket, "gw-" + target.name() + "-" + ids.incrementAndGet());
    session.start();
  }
}
