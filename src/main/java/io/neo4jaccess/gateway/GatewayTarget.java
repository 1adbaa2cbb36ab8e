package io.neo4jaccess.gateway;

import java.net.URI;
import java.util.Locale;
import java.util.Optional;

/**
 * One gateway listener and the Neo4j server behind it.
 *
 * @param name the target's name, as leases name it
 * @param host interface to listen on
 * @param port port to listen on (0: any free port)
 * @param clientUri the URI jobs are given; its host and port are what ROUTE answers. Empty: the
 *     listener's own address
 * @param upstream where the gateway reaches Neo4j
 */
public record GatewayTarget(
    String name, String host, int port, Optional<URI> clientUri, Upstream upstream) {

  private static final int BOLT_PORT = 7687;

  /** How the gateway reaches the target: directly at this address, never through routing. */
  public record Upstream(String host, int port, boolean tls, boolean trustAll) {

    /**
     * From the target's Bolt URI: {@code bolt} and {@code neo4j} are plain, {@code +s} is TLS
     * checked against the JVM's trust store, {@code +ssc} is TLS with any certificate.
     */
    public static Upstream of(String uri) {
      URI u = URI.create(uri);
      String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.matches("(bolt|neo4j)(\\+s|\\+ssc)?") || u.getHost() == null) {
        throw new IllegalArgumentException("not a Bolt URI: " + uri);
      }
      return new Upstream(
          u.getHost(),
          u.getPort() < 0 ? BOLT_PORT : u.getPort(),
          scheme.endsWith("+s") || scheme.endsWith("+ssc"),
          scheme.endsWith("+ssc"));
    }
  }

  /** The {@code host:port} that ROUTE answers, given the port the listener is bound to. */
  public String routeAddress(int boundPort) {
    return clientUri
        .map(u -> u.getHost() + ":" + (u.getPort() < 0 ? BOLT_PORT : u.getPort()))
        .orElse(host + ":" + boundPort);
  }
}
