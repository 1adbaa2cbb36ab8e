package io.neo4jaccess.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.neo4jaccess.testing.GitLabStandIn;
import io.neo4jaccess.testing.MutableClock;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The production key source against the GitLab stand-in's discovery document and key set, over real
 * HTTP but without Quarkus: keys load, a rotation is picked up by one refetch, made-up {@code kid}s
 * cannot make it hammer GitLab, and an unreachable GitLab is "keys unavailable".
 */
class JwksSigningKeysTest {

  static final Duration REFRESH = Duration.ofSeconds(30);

  static GitLabStandIn gitlab;
  static String unreachable;

  private final MutableClock clock = new MutableClock();

  @BeforeAll
  static void start() throws IOException {
    gitlab = GitLabStandIn.start();
    try (ServerSocket closed = new ServerSocket(0)) {
      unreachable = "http://127.0.0.1:" + closed.getLocalPort();
    }
  }

  @AfterAll
  static void stop() {
    gitlab.close();
  }

  JwksSigningKeys keysOf(Map<String, String> instances) {
    return new JwksSigningKeys(instances, REFRESH, clock);
  }

  JwksSigningKeys keys() {
    return keysOf(Map.of("main", gitlab.url()));
  }

  @Test
  void the_key_gitlab_publishes_is_loaded_from_its_discovery_document() {
    JwksSigningKeys keys = keys();

    assertThat(keys.key("main", gitlab.kid())).contains(gitlab.publicKey());
  }

  @Test
  void a_rotated_key_is_picked_up_by_one_refetch() {
    // given keys loaded before GitLab rotates its key, and the refresh interval passed
    JwksSigningKeys keys = keys();
    keys.key("main", gitlab.kid());
    gitlab.rotateKey();
    clock.advance(REFRESH);
    int fetchesBefore = gitlab.keyFetches();

    // when a token names the new kid
    var key = keys.key("main", gitlab.kid());

    // then one refetch found it
    assertThat(key).contains(gitlab.publicKey());
    assertThat(gitlab.keyFetches()).isEqualTo(fetchesBefore + 1);
  }

  @Test
  void unknown_kids_inside_the_refresh_interval_do_not_refetch() {
    // given keys loaded a moment ago
    JwksSigningKeys keys = keys();
    keys.key("main", gitlab.kid());
    clock.advance(REFRESH.minusSeconds(1));
    int fetchesBefore = gitlab.keyFetches();

    // when tokens name made-up kids
    for (int i = 0; i < 5; i++) {
      assertThat(keys.key("main", "made-up-" + i)).isEmpty();
    }

    // then GitLab was not asked again
    assertThat(gitlab.keyFetches()).isEqualTo(fetchesBefore);
  }

  @Test
  void an_unknown_kid_after_the_refresh_interval_refetches_once_and_stays_unknown() {
    JwksSigningKeys keys = keys();
    keys.key("main", gitlab.kid());
    clock.advance(REFRESH);
    int fetchesBefore = gitlab.keyFetches();

    assertThat(keys.key("main", "made-up")).isEmpty();
    assertThat(keys.key("main", "made-up-too")).isEmpty();

    assertThat(gitlab.keyFetches()).isEqualTo(fetchesBefore + 1);
  }

  @Test
  void an_unreachable_instance_is_keys_unavailable() {
    JwksSigningKeys keys = keysOf(Map.of("down", unreachable));

    assertThatExceptionOfType(SigningKeysUnavailable.class)
        .isThrownBy(() -> keys.key("down", "any-kid"))
        .satisfies(e -> assertThat(e.instance()).isEqualTo("down"));
  }

  @Test
  void a_gitlab_that_never_answers_does_not_hold_start_up() throws IOException {
    // given a GitLab that accepts connections but never answers
    try (ServerSocket blackHole = new ServerSocket(0)) {
      JwksSigningKeys keys =
          keysOf(Map.of("silent", "http://127.0.0.1:" + blackHole.getLocalPort()));

      // when the broker starts, then start goes on long before the key fetch could time out
      assertTimeoutPreemptively(JwksClient.TIMEOUT.dividedBy(2), () -> keys.fetchAtStart(null));
    }
  }

  @Test
  void keys_fetched_at_start_serve_the_first_token() {
    // given a broker starting with GitLab reachable
    JwksSigningKeys keys = keys();
    int fetchesBefore = gitlab.keyFetches();

    // when start completes, then the keys arrive in the background
    keys.fetchAtStart(null);
    await().atMost(Duration.ofSeconds(10)).until(() -> gitlab.keyFetches() > fetchesBefore);
    int fetchesAfterStart = gitlab.keyFetches();

    // and the first token needs no fetch of its own
    assertThat(keys.key("main", gitlab.kid())).contains(gitlab.publicKey());
    assertThat(gitlab.keyFetches()).isEqualTo(fetchesAfterStart);
  }

  @Test
  void readiness_is_down_while_an_instance_has_no_keys_and_names_each_instance() {
    // given one reachable instance and one unreachable
    Map<String, String> instances = new LinkedHashMap<>();
    instances.put("main", gitlab.url());
    instances.put("down", unreachable);
    SigningKeysReadiness readiness = new SigningKeysReadiness();
    readiness.keys = keysOf(instances);

    // when readiness is asked
    HealthCheckResponse r = readiness.call();

    // then it is down, and says which instance lacks its keys
    assertThat(r.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
    assertThat(r.getData().orElseThrow())
        .containsEntry("main", "loaded")
        .containsEntry("down", "unavailable");
  }

  @Test
  void readiness_is_up_once_every_instance_has_its_keys() {
    SigningKeysReadiness readiness = new SigningKeysReadiness();
    readiness.keys = keys();

    HealthCheckResponse r = readiness.call();

    assertThat(r.getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
  }
}
