package io.neo4jaccess.token;

import io.neo4jaccess.gitlab.GitLabConfig;
import io.quarkus.oidc.Oidc;
import io.quarkus.oidc.OidcTenantConfig;
import io.quarkus.oidc.runtime.OidcTenantConfig.ApplicationType;
import io.quarkus.oidc.runtime.OidcTenantConfig.SignatureAlgorithm;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Registers one quarkus-oidc service tenant per GitLab instance when quarkus-oidc starts: issuer,
 * audiences and leeway exactly as {@link TokenVerifier} checks them, RS256 only. The maximum token
 * age is {@link TokenVerifier}'s alone: it applies to exchanges, not to a job revoking its own
 * lease at its end.
 */
@ApplicationScoped
class OidcTenants {

  void create(@Observes Oidc oidc, GitLabConfig gitlab, TokenConfig tokens) {
    gitlab
        .instances()
        .forEach(
            (name, instance) ->
                oidc.create(
                    OidcTenantConfig.builder()
                        .tenantId(name)
                        .authServerUrl(instance.url())
                        .applicationType(ApplicationType.SERVICE)
                        .token()
                        .issuer(TokenVerifier.issuerOf(instance))
                        .audience(instance.audience())
                        .lifespanGrace((int) tokens.leeway().toSeconds())
                        .issuedAtRequired(true)
                        .signatureAlgorithm(SignatureAlgorithm.RS256)
                        .forcedJwkRefreshInterval(tokens.jwksRefreshInterval())
                        .end()
                        .build()));
  }
}
