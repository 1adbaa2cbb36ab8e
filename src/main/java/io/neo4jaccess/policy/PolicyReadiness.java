package io.neo4jaccess.policy;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * The policy in force, in {@code /q/health}: its SHA-256 and declared version, where it is read
 * from, since when, and the SHA-256 of a newer text that was refused. Always up: a broker with a
 * valid policy in force serves, whatever was refused since.
 */
@Readiness
@ApplicationScoped
public class PolicyReadiness implements HealthCheck {

  @Inject PolicyService policies;

  @Override
  public HealthCheckResponse call() {
    PolicyService.Loaded loaded = policies.loaded();
    PolicyVersion version = loaded.policy().version();
    HealthCheckResponseBuilder r =
        HealthCheckResponse.named("policy")
            .up()
            .withData("sha256", version.sha256())
            .withData("version", version.declaredOrEmpty())
            .withData("source", policies.source())
            .withData("rules", loaded.policy().rules().size())
            .withData("loaded_at", loaded.at().toString());
    policies.refused().ifPresent(refused -> r.withData("refused", refused));
    return r.build();
  }
}
