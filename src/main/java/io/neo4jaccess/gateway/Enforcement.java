package io.neo4jaccess.gateway;

import io.neo4jaccess.gateway.bolt.BoltStatus;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a grant does to the option maps of requests, as pure functions: the database pinned, READ
 * grants forced to mode {@code r}, the lease's metadata on every transaction, no impersonation, and
 * only the option keys the negotiated versions define (an unknown key could be a server feature the
 * gateway does not understand, so it is refused).
 */
final class Enforcement {

  static final String RULE_DATABASE = "database";
  static final String RULE_IMPERSONATION = "impersonation";

  /** BEGIN's and RUN's options in Bolt 4.4 to 5.8. */
  private static final Set<String> TRANSACTION_KEYS =
      Set.of(
          "bookmarks",
          "tx_timeout",
          "tx_metadata",
          "mode",
          "db",
          "imp_user",
          "tx_type",
          "notifications_minimum_severity",
          "notifications_disabled_categories",
          "notifications_disabled_classifications");

  private static final Set<String> STREAM_KEYS = Set.of("n", "qid");
  private static final Set<String> ROUTE_KEYS = Set.of("db", "imp_user");

  /** HELLO's options other than credentials, in Bolt 4.4 to 5.8. */
  private static final Set<String> HELLO_KEYS =
      Set.of(
          "user_agent",
          "bolt_agent",
          "routing",
          "patch_bolt",
          "notifications_minimum_severity",
          "notifications_disabled_categories",
          "notifications_disabled_classifications");

  private static final Set<String> AUTH_KEYS = Set.of("scheme", "principal", "credentials");

  private Enforcement() {}

  /** A user name and password from HELLO (4.4, 5.0) or LOGON (5.1+). */
  record Credentials(String user, String password) {
    @Override
    public String toString() {
      return "Credentials[user=" + user + ", password=<hidden>]";
    }
  }

  /**
   * The options a BEGIN or auto-commit RUN is forwarded with: the grant's database, mode {@code r}
   * for READ grants, and the lease's metadata over the client's.
   */
  static Map<String, Object> transaction(Map<String, Object> extra, GatewayGrant grant) {
    check(extra, grant);
    Object clientMetadata = extra.getOrDefault("tx_metadata", Map.of());
    if (!(clientMetadata instanceof Map<?, ?> metadata)) {
      throw invalid("tx_metadata must be a map");
    }
    Map<String, Object> merged = new LinkedHashMap<>();
    metadata.forEach((k, v) -> merged.put((String) k, v));
    merged.putAll(grant.txMetadata());
    Map<String, Object> pinned = new LinkedHashMap<>(extra);
    pinned.put("db", grant.database());
    if (grant.access() == Access.READ) {
      pinned.put("mode", "r");
    }
    pinned.put("tx_metadata", merged);
    return pinned;
  }

  /**
   * The options of a RUN inside a transaction, checked and unchanged: the transaction's database
   * and mode were pinned by its BEGIN.
   */
  static Map<String, Object> inTransaction(Map<String, Object> extra, GatewayGrant grant) {
    check(extra, grant);
    return extra;
  }

  /** PULL's and DISCARD's options: only how many records and of which query. */
  static void stream(Map<String, Object> extra) {
    allowed(extra, STREAM_KEYS, "PULL and DISCARD");
  }

  /** ROUTE may ask for the granted database (or the default) and nobody else's rights. */
  static void route(Map<String, Object> extra, GatewayGrant grant) {
    allowed(extra, ROUTE_KEYS, "ROUTE");
    pinned(extra, grant);
  }

  /** The routing table the gateway answers: itself, for every role. */
  static Map<String, Object> routingTable(GatewayGrant grant, String address, long ttlSeconds) {
    List<Object> servers =
        List.of("WRITE", "READ", "ROUTE").stream()
            .map(role -> (Object) Map.of("addresses", List.of(address), "role", role))
            .toList();
    Map<String, Object> rt = new LinkedHashMap<>();
    rt.put("ttl", ttlSeconds);
    rt.put("db", grant.database());
    rt.put("servers", servers);
    return Map.of("rt", rt);
  }

  /**
   * HELLO as the gateway sends it upstream: the client's driver details without its routing context
   * (the gateway reaches one server directly, and a routing context would turn off server-side
   * routing), with the upstream login in place of the client's credentials before 5.1.
   */
  static Map<String, Object> upstreamHello(Map<String, Object> hello, UpstreamLogin login) {
    Map<String, Object> upstream = new LinkedHashMap<>(hello);
    upstream.keySet().removeAll(AUTH_KEYS);
    upstream.remove("routing");
    if (login != null) {
      upstream.putAll(logon(login));
    }
    return upstream;
  }

  /** A LOGON's map (or HELLO's credentials) for the upstream login. */
  static Map<String, Object> logon(UpstreamLogin login) {
    Map<String, Object> auth = new LinkedHashMap<>();
    auth.put("scheme", "basic");
    auth.put("principal", login.user());
    auth.put("credentials", login.password());
    return auth;
  }

  /**
   * Checks a HELLO's options: known keys only, and credentials exactly when the version carries
   * them in HELLO.
   */
  static void hello(Map<String, Object> hello, boolean credentialsInHello) {
    for (String key : hello.keySet()) {
      if (!HELLO_KEYS.contains(key) && !(credentialsInHello && AUTH_KEYS.contains(key))) {
        throw invalid("the gateway does not accept '" + shortened(key) + "' in HELLO");
      }
    }
  }

  /** The credentials of a HELLO (4.4, 5.0), whose other options {@link #hello} checked. */
  static Credentials credentialsInHello(Map<String, Object> hello) {
    Map<String, Object> auth = new LinkedHashMap<>(hello);
    auth.keySet().retainAll(AUTH_KEYS);
    return credentials(auth);
  }

  /**
   * A LOGON's basic credentials, the only scheme the gateway accepts; anything else (another
   * scheme, another key) is unauthorized.
   */
  static Credentials credentials(Map<String, Object> auth) {
    if ("basic".equals(auth.get("scheme"))
        && auth.get("principal") instanceof String user
        && auth.get("credentials") instanceof String password
        && AUTH_KEYS.containsAll(auth.keySet())) {
      return new Credentials(user, password);
    }
    throw new Refusal(
        BoltStatus.UNAUTHORIZED,
        null,
        "The gateway accepts basic authentication with a lease only.");
  }

  private static void check(Map<String, Object> extra, GatewayGrant grant) {
    allowed(extra, TRANSACTION_KEYS, "BEGIN and RUN");
    pinned(extra, grant);
  }

  private static void pinned(Map<String, Object> extra, GatewayGrant grant) {
    if (extra.get("imp_user") != null) {
      throw new Refusal(
          BoltStatus.FORBIDDEN,
          RULE_IMPERSONATION,
          "lease " + grant.leaseId() + " may not impersonate another user");
    }
    Object db = extra.get("db");
    if (db != null && !grant.database().equals(db)) {
      throw new Refusal(
          BoltStatus.FORBIDDEN,
          RULE_DATABASE,
          "lease " + grant.leaseId() + " is granted database " + grant.database() + " only");
    }
  }

  private static void allowed(Map<String, Object> extra, Set<String> keys, String where) {
    for (String key : extra.keySet()) {
      if (!keys.contains(key)) {
        throw invalid("the gateway does not accept '" + shortened(key) + "' in " + where);
      }
    }
  }

  private static Refusal invalid(String message) {
    return new Refusal(BoltStatus.INVALID, null, message);
  }

  private static String shortened(String key) {
    return key.length() <= 40 ? key : key.substring(0, 40) + "…";
  }
}
