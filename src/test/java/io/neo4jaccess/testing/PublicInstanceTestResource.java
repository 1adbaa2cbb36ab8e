package io.neo4jaccess.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.HashMap;
import java.util.Map;

/**
 * A broker set up as an instance hosting public projects should be: traces off (jobs print denials
 * into logs anyone can read), and rate limits, here small enough for a test to reach, counted by
 * the address the local proxy (the test itself, on loopback) forwards.
 */
public class PublicInstanceTestResource implements QuarkusTestResourceLifecycleManager {

  public static final int PROJECT_PER_MINUTE = 3;
  public static final int ADDRESS_PER_MINUTE = 5;

  @Override
  public Map<String, String> start() {
    Map<String, String> c = new HashMap<>(new BrokerTestResource().start());
    c.put("broker.policy.traces", "false");
    c.put("broker.api.rate-limit.project-per-minute", String.valueOf(PROJECT_PER_MINUTE));
    c.put("broker.api.rate-limit.address-per-minute", String.valueOf(ADDRESS_PER_MINUTE));
    c.put("broker.api.trusted-proxies", "127.0.0.1,::1");
    return c;
  }

  @Override
  public void stop() {
    // The stand-ins and Neo4j are shared by every test class in the JVM; they end with it.
  }
}
