package io.neo4jaccess.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnectorInternalSettings;
import org.neo4j.harness.Neo4j;
import org.neo4j.harness.Neo4jBuilders;

/**
 * A broker whose state store and second target ({@code fragile}) are Neo4j servers of their own, so
 * that tests can stop them; the {@code demo} target stays on the shared server.
 */
public class FaultsTestResource implements QuarkusTestResourceLifecycleManager {

  private static Neo4j state;
  private static Neo4j fragile;

  public static Neo4j stateServer() {
    return state;
  }

  public static Neo4j fragileServer() {
    return fragile;
  }

  static Neo4j startServer() {
    return Neo4jBuilders.newInProcessBuilder()
        .withDisabledServer()
        .withConfig(GraphDatabaseSettings.auth_enabled, false)
        .withConfig(BoltConnectorInternalSettings.thread_pool_shutdown_wait_time, Duration.ZERO)
        .build();
  }

  @Override
  public Map<String, String> start() {
    Map<String, String> c = new HashMap<>(new BrokerTestResource().start());
    state = startServer();
    fragile = startServer();
    c.put("quarkus.neo4j.uri", state.boltURI().toString());
    c.put("broker.neo4j.targets.fragile.uri", fragile.boltURI().toString());
    c.put("broker.neo4j.targets.fragile.admin-password", "unused-auth-disabled");
    c.put("broker.policy.file", BrokerTestResource.copyPolicy("/policy/faults-policy.yml"));
    return c;
  }

  @Override
  public void stop() {
    state.close();
    fragile.close();
  }
}
