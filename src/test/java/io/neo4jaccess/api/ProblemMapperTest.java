package io.neo4jaccess.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.neo4jaccess.token.SigningKeysUnavailable;
import io.neo4jaccess.token.TokenRejected;
import io.neo4jaccess.token.TokenRejected.Reason;
import jakarta.ws.rs.core.Response;
import java.net.ConnectException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The token checklist's failures on the wire: each with the status and code the API promises. */
class ProblemMapperTest {

  private final ProblemMapper mapper = new ProblemMapper();

  @ParameterizedTest
  @EnumSource(Reason.class)
  void every_token_rejection_is_a_401_with_its_own_code(Reason reason) {
    Response r = mapper.tokenRejected(new TokenRejected(reason, "The detail for the caller."));

    assertThat(r.getStatus()).isEqualTo(401);
    assertThat(r.getHeaderString("WWW-Authenticate")).isEqualTo("Bearer");
    assertThat(body(r))
        .containsEntry("code", "token_" + reason.name().toLowerCase(java.util.Locale.ROOT))
        .containsEntry("status", 401)
        .containsEntry("detail", "The detail for the caller.");
  }

  @Test
  void signing_keys_that_cannot_be_fetched_are_gitlab_unavailable_with_a_time_to_retry() {
    SigningKeysUnavailable e =
        new SigningKeysUnavailable("main", new ConnectException("Connection refused"));

    Response r = mapper.signingKeysUnavailable(e);

    assertThat(r.getStatus()).isEqualTo(503);
    assertThat(r.getHeaderString("Retry-After")).isEqualTo("2");
    assertThat(body(r))
        .containsEntry("code", "gitlab_unavailable")
        .containsEntry("title", "GitLab unavailable")
        .containsEntry("detail", "The GitLab instance's signing keys cannot be fetched.");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> body(Response r) {
    return (Map<String, Object>) r.getEntity();
  }
}
