package io.neo4jaccess.support;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/**
 * Alive means the process serves requests. Dependencies belong to readiness: restarting the broker
 * does not bring a dead GitLab or Neo4j back, it only adds a restart loop.
 */
@Liveness
@ApplicationScoped
public class BrokerLiveness implements HealthCheck {

  @Override
  public HealthCheckResponse call() {
    return HealthCheckResponse.up("broker");
  }
}
