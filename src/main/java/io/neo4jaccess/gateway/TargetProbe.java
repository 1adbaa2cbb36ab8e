package io.neo4jaccess.gateway;

import io.neo4jaccess.gateway.bolt.BoltVersion;
import io.neo4jaccess.gateway.bolt.Handshake;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Learns once which Bolt versions the target speaks, and what its HELLO answers (server agent,
 * hints), so that clients are offered only versions both the gateway and the target speak and a
 * 5.1+ HELLO can be answered before any upstream connection exists. A failed probe is retried by
 * the next client.
 */
final class TargetProbe {

  /**
   * What the target speaks (newest first, only versions the gateway parses) and its HELLO reply.
   */
  record Facts(List<BoltVersion> versions, Map<String, Object> hello) {}

  /** {@code bolt_agent} is required from 5.3 on. */
  private static final Map<String, Object> PROBE_HELLO =
      Map.of(
          "user_agent",
          "neo4j-access-gateway",
          "bolt_agent",
          Map.of("product", "neo4j-access-gateway"));

  private final UpstreamDialer dialer;
  private Future<Facts> facts;

  TargetProbe(UpstreamDialer dialer) {
    this.dialer = dialer;
  }

  synchronized Future<Facts> facts() {
    if (facts == null || facts.failed()) {
      facts = probe();
    }
    return facts;
  }

  private Future<Facts> probe() {
    BoltVersion newest = BoltVersion.PARSED.get(0);
    int everyFive = (newest.minor() << 16) | newest.encode();
    int[] proposals = {Handshake.MANIFEST_V1, everyFive, BoltVersion.V4_4.encode()};
    return dialer
        .dial(proposals, TargetProbe::newestParsed, TargetProbe::helloFor)
        .compose(
            first -> {
              first.socket().close();
              List<BoltVersion> found = parsed(first.offered());
              Facts known = new Facts(found, first.helloReply());
              if (first.manifest() || found.isEmpty()) {
                return Future.succeededFuture(known);
              }
              List<BoltVersion> older = new ArrayList<>(BoltVersion.PARSED);
              older.removeIf(v -> v.compareTo(found.get(0)) >= 0);
              return older(older, new ArrayList<>(found))
                  .map(all -> new Facts(all, first.helloReply()));
            });
  }

  /**
   * A server without the manifest names one version per connection: the newest of the proposals it
   * speaks. Asks again, four at a time, until every older parsed version is settled.
   */
  private Future<List<BoltVersion>> older(List<BoltVersion> left, List<BoltVersion> found) {
    if (left.isEmpty()) {
      return Future.succeededFuture(found);
    }
    List<BoltVersion> asked = List.copyOf(left.subList(0, Math.min(4, left.size())));
    int[] proposals = asked.stream().mapToInt(BoltVersion::encode).toArray();
    return dialer
        .dial(proposals, offered -> offered.get(0), v -> null)
        .map(
            d -> {
              d.socket().close();
              return d.version();
            })
        .otherwise((BoltVersion) null)
        .compose(
            answered -> {
              int at = asked.indexOf(answered);
              if (at >= 0) {
                found.add(answered);
              }
              int settled = at < 0 ? asked.size() : at + 1;
              return older(left.subList(settled, left.size()), found);
            });
  }

  private static BoltVersion newestParsed(List<BoltVersion> offered) {
    List<BoltVersion> both = parsed(offered);
    return both.isEmpty() ? null : both.get(0);
  }

  private static List<BoltVersion> parsed(List<BoltVersion> offered) {
    return BoltVersion.PARSED.stream().filter(offered::contains).toList();
  }

  private static Map<String, Object> helloFor(BoltVersion version) {
    return version.atLeast(BoltVersion.V5_1) ? PROBE_HELLO : null;
  }
}
