package io.neo4jaccess.token;

import io.quarkus.oidc.runtime.OidcProvider;
import io.quarkus.oidc.runtime.TenantConfigBean;
import io.quarkus.oidc.runtime.TenantConfigContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.lang.UnresolvableKeyException;

/**
 * Checks a token's RS256 signature with quarkus-oidc: one OIDC tenant per GitLab instance (see
 * {@link OidcTenants}), keys from that instance's discovery document, refetched once for an unknown
 * {@code kid}. The tenant also repeats the issuer, audience and lifetime checks {@link
 * TokenVerifier} has already made, with the same settings, so the two can never disagree in the
 * token's favour.
 */
@ApplicationScoped
public class SignatureVerifier {

  private static final Logger LOG = Logger.getLogger(SignatureVerifier.class);
  private static final Duration KEY_FETCH_TIMEOUT = Duration.ofSeconds(5);

  private final TenantConfigBean tenants;
  private final Map<String, TenantConfigContext> ready = new ConcurrentHashMap<>();

  @Inject
  SignatureVerifier(TenantConfigBean tenants) {
    this.tenants = tenants;
  }

  /**
   * Verifies the token against the instance's keys.
   *
   * @throws Rejected when the signature does not verify or no key signs it
   * @throws KeysUnavailable when the instance's keys cannot be fetched
   */
  void verify(String instance, String token) {
    OidcProvider provider = context(instance).provider();
    try {
      provider.verifyJwtToken(token, true, false, null);
    } catch (InvalidJwtException e) {
      if (!unknownKey(e)) {
        throw new Rejected(e);
      }
      LOG.debugf("unknown signing key, refetching keys: instance=%s", instance);
      try {
        provider
            .refreshJwksAndVerifyJwtToken(token, true, false, null)
            .await()
            .atMost(KEY_FETCH_TIMEOUT);
      } catch (RuntimeException refetchFailed) {
        throw new Rejected(refetchFailed);
      }
    }
  }

  /** True when the instance's discovery document and keys have been loaded. */
  public boolean keysLoaded(String instance) {
    try {
      return context(instance).ready();
    } catch (KeysUnavailable e) {
      return false;
    }
  }

  private TenantConfigContext context(String instance) {
    TenantConfigContext known = ready.get(instance);
    if (known != null) {
      return known;
    }
    TenantConfigContext ctx = tenants.getStaticTenant(instance);
    if (ctx == null) {
      throw new KeysUnavailable("no OIDC tenant for instance " + instance, null);
    }
    if (!ctx.ready()) {
      try {
        ctx = ctx.initialize().await().atMost(KEY_FETCH_TIMEOUT);
      } catch (RuntimeException e) {
        throw new KeysUnavailable("cannot load signing keys of instance " + instance, e);
      }
      if (ctx == null || !ctx.ready()) {
        throw new KeysUnavailable("cannot load signing keys of instance " + instance, null);
      }
    }
    ready.put(instance, ctx);
    return ctx;
  }

  private static boolean unknownKey(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof UnresolvableKeyException) {
        return true;
      }
    }
    return false;
  }

  /** The signature (or a check the tenant repeats) failed. */
  static final class Rejected extends RuntimeException {
    Rejected(Throwable cause) {
      super("token rejected by the OIDC verifier", cause, false, false);
    }
  }

  /** The instance's keys could not be loaded: GitLab is unreachable or misconfigured. */
  static final class KeysUnavailable extends RuntimeException {
    KeysUnavailable(String message, Throwable cause) {
      super(message, cause, false, false);
    }
  }
}
