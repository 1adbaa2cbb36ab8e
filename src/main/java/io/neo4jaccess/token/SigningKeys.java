package io.neo4jaccess.token;

import java.security.interfaces.RSAPublicKey;
import java.util.Optional;

/** Where the token checklist finds the key a GitLab instance signs its ID tokens with. */
@FunctionalInterface
public interface SigningKeys {

  /**
   * The RSA public key that {@code instance} publishes under {@code kid}.
   *
   * @return empty when the instance has no such key (the token is then not GitLab's)
   * @throws SigningKeysUnavailable when the instance's keys cannot be fetched at all
   */
  Optional<RSAPublicKey> key(String instance, String kid);
}
