package io.neo4jaccess.gateway.pooled;

import io.neo4jaccess.testing.ShiftedClock;
import io.quarkus.test.junit.QuarkusTestProfile;
import jakarta.enterprise.inject.Alternative;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.Map;
import java.util.Set;

/**
 * The test broker with target {@code gated} in pooled mode ({@code gateway.upstream: pooled}),
 * rotating its pooled logins' passwords every {@link #ROTATION}, on a clock tests can move forward.
 */
public class PooledTarget implements QuarkusTestProfile {

  /** Shorter than the test policy's gated leases (10 minutes), so a rotation outlives none. */
  public static final java.time.Duration ROTATION = java.time.Duration.ofMinutes(2);

  /** The broker's clock. */
  public static final ShiftedClock CLOCK = new ShiftedClock();

  @Override
  public Map<String, String> getConfigOverrides() {
    return Map.of(
        "broker.neo4j.targets.gated.gateway.upstream", "pooled",
        "broker.neo4j.targets.gated.gateway.pooled-password-rotation", "2m");
  }

  @Override
  public Set<Class<?>> getEnabledAlternatives() {
    return Set.of(Clocks.class);
  }

  /** Puts {@link #CLOCK} in place of the machine's. */
  @Alternative
  public static class Clocks {
    @Produces
    @Singleton
    Clock clock() {
      return CLOCK;
    }
  }
}
