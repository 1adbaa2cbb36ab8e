package io.neo4jaccess.gateway;

import io.neo4jaccess.neo4j.Neo4jTarget;
import io.neo4jaccess.neo4j.TargetConfig;
import io.neo4jaccess.neo4j.Targets;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Starts a {@link BoltGateway} for every target with {@code gateway.enabled}, and offers the
 * registry of their connections ({@link GatewayConnections#closeLease}) to the lease side.
 *
 * <p>Needs a {@link GatewayLeases} and a {@link GatewayAudit} bean once any gateway is enabled; a
 * {@link StatementGuard} bean is optional (without one, write grants are held to their database
 * only). The packaged broker refuses to listen for plain Bolt unless {@code
 * broker.gateway.allow-plain} says so.
 */
@ApplicationScoped
public class GatewayLauncher {

  private static final Logger LOG = Logger.getLogger(GatewayLauncher.class);

  private final Map<String, BoltGateway> running = new LinkedHashMap<>();

  @Inject Vertx vertx;
  @Inject GatewayConfig config;
  @Inject TargetConfig targets;
  @Inject Targets servers;
  @Inject GatewayConnections connections;
  @Inject Instance<GatewayLeases> leases;
  @Inject Instance<GatewayAudit> audit;
  @Inject Instance<StatementGuard> guard;

  @Produces
  @Singleton
  static GatewayConnections connections(GatewayConfig config, Clock clock) {
    return new GatewayConnections(config.maxConnectionsPerLease(), config.maxConnections(), clock);
  }

  void start(@Observes StartupEvent event) {
    Map<String, GatewayTarget> enabled = enabledTargets(targets);
    if (enabled.isEmpty()) {
      return;
    }
    GatewaySettings settings = GatewaySettings.from(config);
    insecure(LaunchMode.current(), settings, config.allowPlain())
        .ifPresent(
            problem -> {
              throw new IllegalStateException(problem);
            });
    enabled.forEach((name, target) -> check(name, target, LaunchMode.current()));
    if (!leases.isResolvable() || !audit.isResolvable()) {
      throw new IllegalStateException(
          "gateway targets need one GatewayLeases and one GatewayAudit bean");
    }
    StatementGuard statements = guard.isResolvable() ? guard.get() : StatementGuard.ALLOW_ALL;
    List<Future<Integer>> started = new ArrayList<>();
    enabled.forEach(
        (name, target) -> {
          BoltGateway gateway =
              new BoltGateway(
                  vertx, settings, target, connections, leases.get(), statements, audit.get());
          running.put(name, gateway);
          started.add(gateway.start());
        });
    Future.all(started).toCompletionStage().toCompletableFuture().join();
  }

  /**
   * Refuses a target whose server weakens the gateway ({@link TargetChecks}) in the packaged
   * broker, unless the operator accepted each weakness by name; warns about every one in any case.
   * A target that enforces roles itself (Enterprise) is not served: its job users would hold no
   * role.
   */
  private void check(String name, GatewayTarget target, LaunchMode mode) {
    Neo4jTarget server = servers.get(name).orElseThrow();
    String where = "broker.neo4j.targets." + name + ".gateway";
    if (server.edition().enterprise()) {
      throw new IllegalStateException(
          where
              + ": target '"
              + name
              + "' runs Neo4j Enterprise, which enforces roles itself; the gateway serves"
              + " targets without roles (Community). Give its grants roles instead");
    }
    Set<String> accepted =
        Set.copyOf(targets.targets().get(name).gateway().acceptedRisks().orElse(List.of()));
    List<String> refused = new ArrayList<>();
    for (TargetChecks.Weakness w :
        TargetChecks.weaknesses(server.settings(TargetChecks.SETTINGS), target.clientUri())) {
      LOG.warnf("gateway target weakened: target=%s risk=%s: %s", name, w.risk(), w.why());
      if (!accepted.contains(w.risk())) {
        refused.add(w.risk() + " (" + w.why() + ")");
      }
    }
    if (mode == LaunchMode.NORMAL && !refused.isEmpty()) {
      throw new IllegalStateException(
          "gateway target '"
              + name
              + "' is weakened by its server's settings: "
              + String.join("; ", refused)
              + ". Fix them, or accept each by name in "
              + where
              + ".accepted-risks");
    }
  }

  void stop(@Observes ShutdownEvent event) {
    running.values().forEach(BoltGateway::stop);
  }

  /**
   * The URI jobs of {@code target} are given: its configured {@code client-uri}, or the address the
   * gateway listens on; empty when the target has no gateway running.
   */
  public Optional<String> clientUri(String target) {
    return Optional.ofNullable(running.get(target)).map(BoltGateway::clientUri);
  }

  /**
   * Why the transport is unfit for the packaged broker (plain Bolt carries lease passwords in clear
   * text), or empty.
   */
  static Optional<String> insecure(LaunchMode mode, GatewaySettings settings, boolean allowPlain) {
    if (mode == LaunchMode.NORMAL && settings.tls().isEmpty() && !allowPlain) {
      return Optional.of(
          "the Bolt gateway has no TLS certificate (broker.gateway.tls.certificate and .key);"
              + " set broker.gateway.allow-plain=true to listen for plain Bolt anyway");
    }
    return Optional.empty();
  }

  /** The gateway of each target that enables one, checked. */
  static Map<String, GatewayTarget> enabledTargets(TargetConfig config) {
    Map<String, GatewayTarget> enabled = new LinkedHashMap<>();
    config
        .targets()
        .forEach(
            (name, t) -> {
              TargetConfig.Gateway g = t.gateway();
              if (!g.enabled()) {
                return;
              }
              String where = "broker.neo4j.targets." + name + ".gateway";
              boolean everyInterface = g.host().equals("0.0.0.0") || g.host().equals("::");
              if (everyInterface && g.clientUri().isEmpty()) {
                throw new IllegalStateException(
                    where + ".client-uri is required when the gateway listens on every interface");
              }
              enabled.put(
                  name,
                  new GatewayTarget(
                      name,
                      g.host(),
                      g.port(),
                      g.clientUri().map(URI::create),
                      GatewayTarget.Upstream.of(t.uri())));
            });
    return enabled;
  }
}
