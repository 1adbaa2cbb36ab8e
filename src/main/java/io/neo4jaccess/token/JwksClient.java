package io.neo4jaccess.token;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.lang.JoseException;

/**
 * Reads a GitLab instance's signing keys the way GitLab publishes them: its OIDC discovery document
 * ({@code <url>/.well-known/openid-configuration}) names a {@code jwks_uri} (GitLab: {@code
 * <url>/oauth/discovery/keys}), which holds the keys. Only RSA signing keys with a {@code kid} are
 * kept. Redirects are not followed and each request has {@link #TIMEOUT}.
 */
final class JwksClient {

  static final Duration TIMEOUT = Duration.ofSeconds(5);

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http =
      HttpClient.newBuilder()
          .connectTimeout(TIMEOUT)
          .followRedirects(HttpClient.Redirect.NEVER)
          .build();

  /** The instance's RSA public keys by {@code kid}; fails when there is none to be had. */
  CompletableFuture<Map<String, RSAPublicKey>> fetch(String instanceUrl) {
    URI url = URI.create(instanceUrl.replaceAll("/+$", ""));
    return get(URI.create(url + "/.well-known/openid-configuration"))
        .thenCompose(discovery -> get(jwksUri(url, discovery)))
        .thenApply(JwksClient::rsaSigningKeys);
  }

  private CompletableFuture<String> get(URI uri) {
    HttpRequest request =
        HttpRequest.newBuilder(uri).timeout(TIMEOUT).header("Accept", "application/json").build();
    return http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
        // The request timeout ends with the response's headers; this one covers its body too.
        .orTimeout(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
        .thenApply(
            response -> {
              if (response.statusCode() != 200) {
                throw new KeyFetchFailed("HTTP " + response.statusCode() + " from " + uri, null);
              }
              return response.body();
            });
  }

  /** The discovery document's {@code jwks_uri}, when it is absolute and no less secure. */
  static URI jwksUri(URI instance, String discovery) {
    URI jwks;
    try {
      JsonNode named = JSON.readTree(discovery).path("jwks_uri");
      jwks = named.isTextual() ? URI.create(named.asText()) : null;
    } catch (IOException | IllegalArgumentException e) {
      throw new KeyFetchFailed("unreadable discovery document", e);
    }
    if (jwks == null || !jwks.isAbsolute() || !atLeastAsSecure(jwks, instance)) {
      throw new KeyFetchFailed("no usable jwks_uri in the discovery document", null);
    }
    return jwks;
  }

  /**
   * https, or plain http only for an instance that is itself reached over plain http (development
   * and tests): keys fetched in the clear could be replaced in transit.
   */
  private static boolean atLeastAsSecure(URI jwks, URI instance) {
    String scheme = jwks.getScheme();
    return "https".equalsIgnoreCase(scheme)
        || "http".equalsIgnoreCase(scheme) && "http".equalsIgnoreCase(instance.getScheme());
  }

  static Map<String, RSAPublicKey> rsaSigningKeys(String jwks) {
    Map<String, RSAPublicKey> keys = new HashMap<>();
    try {
      for (JsonWebKey key : new JsonWebKeySet(jwks).getJsonWebKeys()) {
        if (key instanceof RsaJsonWebKey rsa
            && key.getKeyId() != null
            && (key.getUse() == null || key.getUse().equals("sig"))
            && (key.getAlgorithm() == null
                || key.getAlgorithm().equals(AlgorithmIdentifiers.RSA_USING_SHA256))) {
          keys.put(key.getKeyId(), rsa.getRsaPublicKey());
        }
      }
    } catch (JoseException e) {
      throw new KeyFetchFailed("unreadable key set", e);
    }
    if (keys.isEmpty()) {
      throw new KeyFetchFailed("the key set holds no RSA signing key", null);
    }
    return Map.copyOf(keys);
  }

  /** Why an instance's keys could not be read; only ever logged, as a cause. */
  static final class KeyFetchFailed extends RuntimeException {
    KeyFetchFailed(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
