package io.neo4jaccess.neo4j;

import static org.assertj.core.api.Assertions.assertThat;

import io.neo4jaccess.testing.SharedNeo4j;
import io.neo4jaccess.testing.StateProbe;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.neo4j.driver.Driver;
import org.neo4j.driver.SessionConfig;
import org.neo4j.driver.exceptions.ClientException;

/**
 * Concurrent exchanges' users are created together, in one transaction on {@code system}
 * (GroupCommit): against the real server, every caller's user must exist and log in when its call
 * returns, and a user that cannot be created must fail that caller alone.
 */
class ConcurrentUserCreationTest {

  private static final int CALLERS = 24;

  private Neo4jTarget target;
  private final ExecutorService callers = Executors.newFixedThreadPool(CALLERS);
  private final List<String> created = new ArrayList<>();

  @BeforeEach
  void connect() {
    target = new Neo4jTarget("concurrent", config(), SharedNeo4j.ADMIN_PASSWORD);
    target.detectEdition();
  }

  @AfterEach
  void cleanUp() {
    callers.shutdownNow();
    assertThat(target.revokeUsers(created)).isEmpty();
    target.close();
  }

  @Test
  void every_caller_gets_a_user_that_logs_in_and_a_name_taken_already_fails_alone()
      throws Exception {
    String taken = "gc_taken_" + System.nanoTime();
    try (var s = SharedNeo4j.admin().session(SessionConfig.forDatabase("system"))) {
      s.run(
              "CREATE USER $u SET PASSWORD 'not-the-callers-password' CHANGE NOT REQUIRED",
              Map.of("u", taken))
          .consume();
    }
    created.add(taken);
    List<String> names = new ArrayList<>();
    for (int i = 0; i < CALLERS - 1; i++) {
      names.add("gc_" + i + "_" + System.nanoTime());
    }
    names.add(CALLERS / 2, taken);
    created.addAll(names);

    CountDownLatch start = new CountDownLatch(1);
    List<CompletableFuture<Void>> calls = new ArrayList<>();
    for (String name : names) {
      calls.add(
          CompletableFuture.runAsync(
              () -> {
                awaitStart(start);
                target.createUser(name, password(name), "neo4j", List.of());
              },
              callers));
    }
    start.countDown();

    for (int i = 0; i < names.size(); i++) {
      String name = names.get(i);
      CompletableFuture<Void> call = calls.get(i);
      if (name.equals(taken)) {
        assertThat(call)
            .failsWithin(Duration.ofSeconds(30))
            .withThrowableOfType(java.util.concurrent.ExecutionException.class)
            .withCauseInstanceOf(ClientException.class)
            .withMessageContaining("already exists");
      } else {
        assertThat(call).succeedsWithin(Duration.ofSeconds(30));
        try (Driver job = StateProbe.loginAs(name, password(name));
            var session = job.session()) {
          assertThat(session.run("RETURN 1 AS one").single().get("one").asInt()).isEqualTo(1);
        }
      }
    }
  }

  private static String password(String name) {
    return "pw-" + name + "-long-enough";
  }

  private static void awaitStart(CountDownLatch start) {
    try {
      assertThat(start.await(10, TimeUnit.SECONDS)).isTrue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static TargetConfig.Target config() {
    return new TargetConfig.Target() {
      @Override
      public String uri() {
        return SharedNeo4j.boltUri();
      }

      @Override
      public Optional<String> clientUri() {
        return Optional.empty();
      }

      @Override
      public String adminUser() {
        return "neo4j";
      }

      @Override
      public Optional<String> adminPassword() {
        return Optional.of(SharedNeo4j.ADMIN_PASSWORD);
      }

      @Override
      public Optional<Path> adminPasswordFile() {
        return Optional.empty();
      }

      @Override
      public String database() {
        return "neo4j";
      }

      @Override
      public String userPrefix() {
        return "gc_";
      }

      @Override
      public Duration maxTtl() {
        return Duration.ofHours(1);
      }

      @Override
      public Optional<String> edition() {
        return Optional.empty();
      }
    };
  }
}
