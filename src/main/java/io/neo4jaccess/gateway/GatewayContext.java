package io.neo4jaccess.gateway;

import io.vertx.core.Vertx;
import java.util.Set;
import java.util.function.Supplier;

/** What every connection of one gateway listener shares, with the set of its open connections. */
record GatewayContext(
    Vertx vertx,
    GatewaySettings settings,
    GatewayTarget target,
    GatewayConnections connections,
    GatewayLeases leases,
    StatementGuard guard,
    GatewayAudit audit,
    UpstreamDialer dialer,
    TargetProbe probe,
    Supplier<String> routeAddress,
    Set<GatewaySession> sessions) {}
