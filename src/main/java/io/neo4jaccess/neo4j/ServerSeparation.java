package io.neo4jaccess.neo4j;

import java.util.ArrayList;
import java.util.List;

/**
 * Which Neo4j servers the broker may work with together, decided by each server's identity ({@link
 * Neo4jTarget#serverId()}), never by comparing URIs: a host alias, an address or a port forward
 * names the same server under another string.
 *
 * <ul>
 *   <li>The state store is never on a server that jobs reach: on Community every job user is an
 *       administrator and could delete its used token id (and exchange the token again) or write
 *       leases for the broker to act on.
 *   <li>Targets on one server have prefixes of which neither starts with the other: otherwise each
 *       target's orphan sweep would drop the other's users.
 * </ul>
 */
final class ServerSeparation {

  private ServerSeparation() {}

  /** A configured target as the rules see it. */
  record Placed(String target, String serverId, String userPrefix) {}

  /**
   * Every breach of the rules above, one sentence each naming the targets and the fix; empty when
   * the layout is safe.
   */
  static List<String> problems(String stateServerId, List<Placed> targets) {
    List<String> problems = new ArrayList<>();
    stateStoreApart(stateServerId, targets, problems);
    prefixesApart(targets, problems);
    return problems;
  }

  /**
   * The state store shares no server with a target, a gateway target included. A gateway target was
   * weighed for an exemption and none is safe:
   *
   * <ul>
   *   <li>Community has one user database, so the state graph would live in the database a gateway
   *       grant names: a read grant reads every lease and decision, a write grant rewrites them,
   *       and the classifier cannot tell the broker's nodes from the job's own data.
   *   <li>Upstream the gateway logs in as the job's own user, an administrator of that server on
   *       Community; whoever reaches the server's Bolt port with the job's password bypasses the
   *       gateway, and the broker cannot prove that nobody but itself reaches it.
   * </ul>
   */
  private static void stateStoreApart(
      String stateServerId, List<Placed> targets, List<String> problems) {
    for (Placed t : targets) {
      if (t.serverId().equals(stateServerId)) {
        problems.add(
            "target '"
                + t.target()
                + "' is on the Neo4j server of the state store (server id "
                + abbreviated(stateServerId)
                + "): its job users could rewrite the broker's state; give the state store a Neo4j"
                + " server of its own that no job gets a user on (quarkus.neo4j.uri)");
      }
    }
  }

  /** Targets on one server have prefixes of which neither starts with the other. */
  private static void prefixesApart(List<Placed> targets, List<String> problems) {
    for (int i = 0; i < targets.size(); i++) {
      for (int j = i + 1; j < targets.size(); j++) {
        Placed a = targets.get(i);
        Placed b = targets.get(j);
        if (a.serverId().equals(b.serverId())
            && (a.userPrefix().startsWith(b.userPrefix())
                || b.userPrefix().startsWith(a.userPrefix()))) {
          problems.add(
              "targets '"
                  + a.target()
                  + "' and '"
                  + b.target()
                  + "' are on one Neo4j server and their user prefixes '"
                  + a.userPrefix()
                  + "' and '"
                  + b.userPrefix()
                  + "' overlap: each would drop the other's users as orphans; give them"
                  + " user-prefix values of which neither starts with the other");
        }
      }
    }
  }

  private static String abbreviated(String serverId) {
    return serverId.length() > 12 ? serverId.substring(0, 12) + "…" : serverId;
  }
}
