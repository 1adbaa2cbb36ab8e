package io.neo4jaccess.token;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready only when every GitLab instance's signing keys are loaded: no keys, no exchanges. Each
 * instance is reported by name, {@code loaded} or {@code unavailable}.
 */
@Readiness
@ApplicationScoped
public class SigningKeysReadiness implements HealthCheck {

  @Inject JwksSigningKeys keys;

  @Override
  public HealthCheckResponse call() {
    HealthCheckResponseBuilder r = HealthCheckResponse.named("gitlab signing keys").up();
    for (String instance : keys.instances()) {
      boolean loaded = keys.loaded(instance);
      r.withData(instance, loaded ? "loaded" : "unavailable");
      if (!loaded) {
        r.down();
      }
    }
    return r.build();
  }
}
