package io.neo4jaccess.testing;

import java.util.List;
import java.util.Map;
import org.neo4j.driver.AuthTokens;
import org.neo4j.driver.Driver;
import org.neo4j.driver.GraphDatabase;
import org.neo4j.driver.Session;
import org.neo4j.driver.SessionConfig;

/**
 * Reads what tests assert on, as the administrator: the target's users, and the state graph on the
 * state store's own server.
 */
public final class StateProbe {

  private StateProbe() {}

  /** Users the broker created (the {@code ci_} prefix), from {@code SHOW USERS}. */
  public static List<String> brokerUsers() {
    try (Session s = SharedNeo4j.admin().session(SessionConfig.forDatabase("system"))) {
      return s.run("SHOW USERS YIELD user WHERE user STARTS WITH 'ci_' RETURN user ORDER BY user")
          .list(r -> r.get("user").asString());
    }
  }

  /** Node counts of the state graph by label, for before/after comparisons. */
  public static Map<String, Long> stateCounts() {
    try (Session s = SharedNeo4j.stateAdmin().session()) {
      return s.run(
              "RETURN COUNT { (:Lease) } AS leases, COUNT { (:UsedJti) } AS jtis,"
                  + " COUNT { (:Decision) } AS decisions, COUNT { (:Job) } AS jobs")
          .single()
          .asMap(v -> v.asLong());
    }
  }

  /** Webhook deliveries recorded, and leases no longer active: what a webhook may have changed. */
  public static Map<String, Long> webhookCounts() {
    try (Session s = SharedNeo4j.stateAdmin().session()) {
      return s.run(
              "RETURN COUNT { (:WebhookDelivery) } AS deliveries,"
                  + " COUNT { (l:Lease) WHERE l.state <> 'active' } AS inactive")
          .single()
          .asMap(v -> v.asLong());
    }
  }

  /** The state of the lease with the given id, or null. */
  public static String leaseState(String leaseId) {
    try (Session s = SharedNeo4j.stateAdmin().session()) {
      var r = s.run("MATCH (l:Lease {id: $id}) RETURN l.state AS state", Map.of("id", leaseId));
      return r.hasNext() ? r.single().get("state").asString() : null;
    }
  }

  /** Why a lease was revoked, or null. */
  public static String revokeReason(String leaseId) {
    try (Session s = SharedNeo4j.stateAdmin().session()) {
      var r =
          s.run("MATCH (l:Lease {id: $id}) RETURN l.revokeReason AS reason", Map.of("id", leaseId));
      return r.hasNext() ? r.single().get("reason").asString(null) : null;
    }
  }

  /** A driver logged in as a job user, as the job would be. */
  public static Driver loginAs(String username, String password) {
    return GraphDatabase.driver(SharedNeo4j.boltUri(), AuthTokens.basic(username, password));
  }

  /** True when the user logs in on the target and runs a query. */
  public static boolean logsIn(String username, String password) {
    try (Driver d = loginAs(username, password);
        Session s = d.session()) {
      return s.run("RETURN 1 AS one").single().get("one").asInt() == 1;
    }
  }
}
