package io.neo4jaccess.neo4j;

import io.neo4jaccess.state.StateStore;
import io.neo4jaccess.testing.SharedNeo4j;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** Targets configured as the broker reads them, from {@code broker.neo4j.*} properties. */
final class TargetConfigs {

  private TargetConfigs() {}

  /** The targets whose properties {@link #target} gave. */
  @SafeVarargs
  static TargetConfig of(Map<String, String>... targets) {
    Map<String, String> properties = new HashMap<>();
    for (Map<String, String> t : targets) {
      properties.putAll(t);
    }
    return new SmallRyeConfigBuilder()
        .withMapping(TargetConfig.class)
        // Durations as Quarkus writes them ("1h"), as in application.properties.
        .withConverter(Duration.class, 100, new DurationConverter())
        .withDefaultValues(properties)
        .build()
        .getConfigMapping(TargetConfig.class);
  }

  /** Target {@code demo} (prefix {@code ci_}) on the shared test server, connected. */
  static Neo4jTarget demo(StateStore state) {
    return new Targets(
            of(target("demo", SharedNeo4j.boltUri(), SharedNeo4j.ADMIN_PASSWORD, "ci_")), state)
        .get("demo")
        .orElseThrow();
  }

  /** The properties of one target, administered as {@code neo4j}. */
  static Map<String, String> target(String name, String uri, String password, String prefix) {
    Map<String, String> p = new HashMap<>();
    String key = "broker.neo4j.targets." + name + ".";
    p.put(key + "uri", uri);
    p.put(key + "admin-password", password);
    p.put(key + "user-prefix", prefix);
    return p;
  }
}
