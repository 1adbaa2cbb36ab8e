package io.neo4jaccess.neo4j;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/** Ready only when every target answers: an exchange for an unreachable target would fail. */
@Readiness
@ApplicationScoped
public class TargetsReadiness implements HealthCheck {

  @Inject Targets targets;

  @Override
  public HealthCheckResponse call() {
    HealthCheckResponseBuilder r = HealthCheckResponse.named("neo4j targets").up();
    for (Neo4jTarget t : targets.all()) {
      boolean up = t.reachable();
      r.withData(t.name(), up ? "up" : "down");
      if (!up) {
        r.down();
      }
    }
    return r.build();
  }
}
