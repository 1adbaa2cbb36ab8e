package io.neo4jaccess.gateway;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.PemKeyCertOptions;
import java.net.URI;
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

  private final GatewayContext context;
  private final AtomicLong ids = new AtomicLong();
  private NetServer server;

  public BoltGateway(
      Vertx vertx,
      GatewaySettings settings,
      GatewayTarget target,
      GatewayConnections connections,
      GatewayLeases leases,
      StatementGuard guard,
      GatewayAudit audit) {
    UpstreamDialer dialer =
        new UpstreamDialer(vertx, target.upstream(), settings.handshakeTimeout());
    this.context =
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
            ConcurrentHashMap.newKeySet());
  }

  /** Listens; completes with the bound port. */
  public Future<Integer> start() {
    GatewaySettings settings = context.settings();
    GatewayTarget target = context.target();
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
    server = context.vertx().createNetServer(options).connectHandler(this::accept);
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

  /** The URI jobs connect to: the target's {@code client-uri}, or where the listener is bound. */
  public String clientUri() {
    return context
        .target()
        .clientUri()
        .map(URI::toString)
        .orElseGet(
            () ->
                (context.settings().tls().isPresent() ? "bolt+s://" : "bolt://")
                    + context.target().host()
                    + ":"
                    + port());
  }

  /** The port the listener is bound to. */
  public int port() {
    return server.actualPort();
  }

  /** Stops listening and closes every connection. */
  public Future<Void> stop() {
    context.sessions().forEach(GatewaySession::close);
    context.dialer().close();
    return server.close();
  }

  private void accept(NetSocket socket) {
    String target = context.target().name();
    if (!context.connections().admit()) {
      LOG.warnf("gateway connection limit reached: target=%s", target);
      socket.close();
      return;
    }
    GatewaySession session =
        new GatewaySession(context, socket, "gw-" + target + "-" + ids.incrementAndGet());
    session.start();
  }
}
