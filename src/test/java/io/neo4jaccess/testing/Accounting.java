package io.neo4jaccess.testing;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.neo4j.driver.Driver;
import org.neo4j.driver.Session;
import org.neo4j.driver.SessionConfig;

/**
 * The invariant after a sweep: every user with the target's prefix is owned by a live lease, every
 * active lease's user exists, every revoked or failed lease's user is gone, and no lease is left in
 * {@code issuing} or {@code revoking}. Read straight from the servers as the administrator.
 */
public record Accounting(
    Set<String> users,
    Set<String> activeLeaseUsers,
    Set<String> liveLeaseUsers,
    Set<String> endedLeaseUsers,
    Map<String, Long> leasesByState) {

  public static Accounting read(Driver state, Driver target, String targetName, String prefix) {
    Set<String> users;
    try (Session s = target.session(SessionConfig.forDatabase("system"))) {
      users =
          new HashSet<>(
              s.run(
                      "SHOW USERS YIELD user WHERE user STARTS WITH $p RETURN user",
                      Map.of("p", prefix))
                  .list(r -> r.get("user").asString()));
    }
    try (Session s = state.session()) {
      Set<String> active = usernames(s, targetName, List.of("active"));
      Set<String> live =
          usernames(
              s,
              targetName,
              List.of("issuing", "active", "revoke_requested", "revoking", "revoke_failed"));
      Set<String> ended = usernames(s, targetName, List.of("revoked", "failed"));
      Map<String, Long> byState =
          s
              .run(
                  "MATCH (l:Lease {target: $t}) RETURN l.state AS state, count(*) AS n",
                  Map.of("t", targetName))
              .list()
              .stream()
              .collect(
                  java.util.stream.Collectors.toMap(
                      r -> r.get("state").asString(), r -> r.get("n").asLong()));
      return new Accounting(users, active, live, ended, byState);
    }
  }

  private static Set<String> usernames(Session s, String target, List<String> states) {
    return new HashSet<>(
        s.run(
                "MATCH (l:Lease {target: $t}) WHERE l.state IN $states RETURN l.username AS u",
                Map.of("t", target, "states", states))
            .list(r -> r.get("u").asString()));
  }

  /** Users no live lease owns; empty after a sweep. */
  public Set<String> unowned() {
    Set<String> out = new HashSet<>(users);
    out.removeAll(liveLeaseUsers);
    return out;
  }

  /** Active leases whose user is missing. */
  public Set<String> activeWithoutUser() {
    Set<String> out = new HashSet<>(activeLeaseUsers);
    out.removeAll(users);
    return out;
  }

  /** Revoked or failed leases whose user still exists. */
  public Set<String> endedButPresent() {
    Set<String> out = new HashSet<>(endedLeaseUsers);
    out.retainAll(users);
    return out;
  }

  public long stuck() {
    return leasesByState.getOrDefault("issuing", 0L) + leasesByState.getOrDefault("revoking", 0L);
  }

  /** The problems, one line each; empty when the invariant holds. */
  public List<String> violations() {
    List<String> v = new java.util.ArrayList<>();
    if (!unowned().isEmpty()) {
      v.add("users without a live lease: " + unowned().size());
    }
    if (!activeWithoutUser().isEmpty()) {
      v.add("active leases without a user: " + activeWithoutUser().size());
    }
    if (!endedButPresent().isEmpty()) {
      v.add("revoked/failed leases whose user exists: " + endedButPresent().size());
    }
    if (stuck() > 0) {
      v.add("leases stuck in issuing/revoking: " + stuck());
    }
    return v;
  }
}
