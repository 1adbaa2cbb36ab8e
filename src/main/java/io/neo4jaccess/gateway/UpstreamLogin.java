package io.neo4jaccess.gateway;

import java.util.Objects;

/**
 * The Neo4j login the gateway uses on the target for a lease's connections: in per-job-user mode
 * the job's own user and the password it presented; on a pooled target the broker's login for the
 * grant's access mode. {@code toString} never shows the password.
 */
public record UpstreamLogin(String user, String password) {

  public UpstreamLogin {
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(password, "password");
  }

  @Override
  public String toString() {
    return "UpstreamLogin[user=" + user + ", password=<hidden>]";
  }
}
