package io.neo4jaccess.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.neo4j.driver.Session;
import org.neo4j.driver.SessionConfig;

/**
 * What a refused statement must leave as it was on the target server, read as the administrator:
 * its users ({@code SHOW USERS}), its connections ({@code dbms.listConnections()}) and its data.
 */
public record ServerSnapshot(
    List<String> users, Set<String> connections, long nodes, long relationships) {

  public static ServerSnapshot take() {
    try (Session system = SharedNeo4j.admin().session(SessionConfig.forDatabase("system"));
        Session data = SharedNeo4j.admin().session()) {
      List<String> users =
          system
              .run("SHOW USERS YIELD user RETURN user ORDER BY user")
              .list(r -> r.get("user").asString());
      Set<String> connections =
          Set.copyOf(
              data.run("CALL dbms.listConnections() YIELD connectionId RETURN connectionId")
                  .list(r -> r.get("connectionId").asString()));
      var counts =
          data.run("RETURN COUNT { (n) } AS nodes, COUNT { ()-[]->() } AS relationships").single();
      return new ServerSnapshot(
          users, connections, counts.get("nodes").asLong(), counts.get("relationships").asLong());
    }
  }

  /**
   * Checks that nothing changed since this snapshot: the same users and data, and every connection
   * still open (new ones may have come: the checks' own).
   */
  public void assertUnchanged() {
    ServerSnapshot now = take();
    assertThat(now.users()).as("SHOW USERS").isEqualTo(users);
    assertThat(now.connections()).as("connections").containsAll(connections);
    assertThat(now.nodes()).as("nodes").isEqualTo(nodes);
    assertThat(now.relationships()).as("relationships").isEqualTo(relationships);
  }
}
