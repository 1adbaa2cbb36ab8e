package io.neo4jaccess.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.neo4jaccess.gateway.bolt.BoltVersion;
import io.neo4jaccess.gateway.bolt.MessageType;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.neo4j.driver.Session;
import org.neo4j.driver.exceptions.Neo4jException;

/**
 * The broker's log, at every level, carries no password, query text or parameter of gateway
 * traffic, whether it succeeded, was refused or was malformed.
 */
class GatewayLogHygieneTest {

  private static final String QUERY_SECRET = "query-text-secret-4711";
  private static final String PARAMETER_SECRET = "parameter-secret-0815";
  private static final String REFUSED_SECRET = "refused-text-secret-2342";
  private static final String WRONG_PASSWORD = "wrong-password-secret-9999";

  private static final List<String> logged = new CopyOnWriteArrayList<>();
  private static final List<Logger> watched =
      List.of(Logger.getLogger("io.neo4jaccess"), Logger.getLogger("io.vertx"));
  private static final Handler capture =
      new Handler() {
        @Override
        public void publish(LogRecord record) {
          logged.add(render(record));
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  @RegisterExtension
  static final GatewayFixture gateway =
      GatewayFixture.start(
          GatewaySettings.defaults(),
          (query, parameters, grant) ->
              query.contains(REFUSED_SECRET)
                  ? GuardVerdict.refused("test_rule", "refused for the test")
                  : GuardVerdict.allowed());

  @BeforeAll
  static void start() {
    capture.setLevel(Level.ALL);
    for (Logger logger : watched) {
      logger.setLevel(Level.ALL);
      logger.addHandler(capture);
    }
  }

  @AfterAll
  static void stop() {
    for (Logger logger : watched) {
      logger.removeHandler(capture);
      logger.setLevel(null);
    }
  }

  @Test
  void no_secret_of_gateway_traffic_reaches_the_log() {
    // given traffic of every kind
    GatewayFixture.Lease lease = gateway.lease(Access.READ);
    try (Session s = gateway.driver(lease).session()) {
      s.run("RETURN '" + QUERY_SECRET + "', $p", Map.of("p", PARAMETER_SECRET)).consume();
      assertThatThrownBy(() -> s.run("RETURN '" + REFUSED_SECRET + "'").consume())
          .isInstanceOf(Neo4jException.class);
      assertThatThrownBy(
              () -> s.run("CREATE ({secret: $p})", Map.of("p", PARAMETER_SECRET)).consume())
          .isInstanceOf(Neo4jException.class);
    }
    assertThatThrownBy(
            () ->
                gateway
                    .driver(java.net.URI.create(gateway.uri("bolt")), lease.user(), WRONG_PASSWORD)
                    .session()
                    .run("RETURN 1")
                    .consume())
        .isInstanceOf(Neo4jException.class);
    try (RawBolt malformed =
        RawBolt.loggedIn(gateway.port(), BoltVersion.V5_8, lease.user(), lease.password())) {
      malformed.send(MessageType.BEGIN, Map.of(QUERY_SECRET, PARAMETER_SECRET));
      malformed.read();
      malformed.sendHex("B3 10 D0 40 " + hex(QUERY_SECRET));
      malformed.closedWithin(java.time.Duration.ofSeconds(2));
    }

    // then
    assertThat(logged)
        .anyMatch(line -> line.contains("gateway login refused"))
        .anyMatch(line -> line.contains("gateway protocol violation"));
    assertThat(String.join("\n", logged))
        .doesNotContain(
            lease.password(), WRONG_PASSWORD, QUERY_SECRET, PARAMETER_SECRET, REFUSED_SECRET);
  }

  private static String render(LogRecord record) {
    String message =
        record instanceof ExtLogRecord ext ? ext.getFormattedMessage() : record.getMessage();
    StringWriter trace = new StringWriter();
    if (record.getThrown() != null) {
      record.getThrown().printStackTrace(new PrintWriter(trace));
    }
    return message + " " + Arrays.toString(record.getParameters()) + " " + trace;
  }

  private static String hex(String text) {
    return java.util.HexFormat.of()
        .formatHex(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }
}
