package io.neo4jaccess.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.net.URI;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Where the keys are read from: only a {@code jwks_uri} no less secure than the instance. */
class JwksClientTest {

  @ParameterizedTest(name = "{0} names {1}")
  @CsvSource({
    "https://gitlab.example.com, https://gitlab.example.com/oauth/discovery/keys",
    "http://127.0.0.1:8180, http://127.0.0.1:8180/oauth/discovery/keys",
    "http://127.0.0.1:8180, https://gitlab.example.com/oauth/discovery/keys"
  })
  void an_absolute_jwks_uri_as_secure_as_the_instance_is_used(String instance, String jwks) {
    URI uri = JwksClient.jwksUri(URI.create(instance), "{\"jwks_uri\":\"" + jwks + "\"}");

    assertThat(uri).isEqualTo(URI.create(jwks));
  }

  @ParameterizedTest(name = "{0} names {1}")
  @CsvSource({
    "https://gitlab.example.com, '{\"jwks_uri\":\"http://gitlab.example.com/oauth/discovery/keys\"}'",
    "https://gitlab.example.com, '{\"jwks_uri\":\"/oauth/discovery/keys\"}'",
    "https://gitlab.example.com, '{\"jwks_uri\":\"file:///etc/keys.json\"}'",
    "https://gitlab.example.com, '{\"jwks_uri\":42}'",
    "https://gitlab.example.com, '{}'",
    "https://gitlab.example.com, 'not json'"
  })
  void a_discovery_document_without_a_usable_jwks_uri_yields_no_keys(
      String instance, String discovery) {
    assertThatExceptionOfType(JwksClient.KeyFetchFailed.class)
        .isThrownBy(() -> JwksClient.jwksUri(URI.create(instance), discovery));
  }
}
