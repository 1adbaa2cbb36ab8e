package io.neo4jaccess.neo4j;

import static org.assertj.core.api.Assertions.assertThat;

import io.neo4jaccess.state.StateStore;
import io.neo4jaccess.testing.SharedNeo4j;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The drivers of the targets never log a job's password, even with the driver's categories at their
 * finest level: the driver's debug lines print each Bolt message whole, parameters included, and
 * {@code CREATE USER}'s parameters hold the password.
 */
class TargetDriverLogTest {

  private static final String PASSWORD = "job-password-that-must-never-be-logged-31337";

  private final StateStore state = new StateStore(SharedNeo4j.stateAdmin());
  private final List<String> logged = new CopyOnWriteArrayList<>();
  private final Logger driverLogs = Logger.getLogger("org.neo4j");
  private final Handler capture =
      new Handler() {
        @Override
        public void publish(LogRecord record) {
          Object[] parameters = record.getParameters();
          logged.add(
              record.getLoggerName()
                  + " "
                  + record.getMessage()
                  + " "
                  + (parameters == null ? "" : List.of(parameters)));
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  @BeforeEach
  void watch() {
    capture.setLevel(Level.ALL);
    driverLogs.setLevel(Level.ALL);
    driverLogs.addHandler(capture);
  }

  @AfterEach
  void unwatch() {
    driverLogs.removeHandler(capture);
    driverLogs.setLevel(null);
  }

  @Test
  void creating_and_dropping_a_user_logs_no_password_at_any_level() {
    // given: a target whose driver starts while its categories log everything
    Neo4jTarget demo = TargetConfigs.demo(state);

    // when
    try {
      demo.createUser("ci_7_7_logcheck", PASSWORD, "neo4j", List.of());
      assertThat(demo.revokeUsers(List.of("ci_7_7_logcheck"))).isEmpty();
    } finally {
      demo.close();
    }

    // then: the driver's own lines arrive (its start), none with the password
    assertThat(logged).anyMatch(line -> line.contains("org.neo4j.driver"));
    assertThat(logged).noneMatch(line -> line.contains(PASSWORD));
  }
}
