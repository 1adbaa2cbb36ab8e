package io.neo4jaccess.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.neo4jaccess.gateway.bolt.BoltVersion;
import io.neo4jaccess.gateway.bolt.Handshake;
import io.neo4jaccess.gateway.bolt.MessageType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.neo4j.driver.Session;

/**
 * Hostile Bolt input on raw sockets, one named case each: the gateway answers with a FAILURE and
 * closes, or just closes, promptly, without buffering what a header announces. A driver session
 * open all along, and a new one after, still work.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostileBoltTest {

  private static final String INVALID = "Neo.ClientError.Request.Invalid";
  private static final Duration PROMPTLY = Duration.ofSeconds(3);
  private static final BoltVersion V5_8 = BoltVersion.V5_8;

  @RegisterExtension
  static final GatewayFixture gateway =
      GatewayFixture.start(GatewayFixture.tight(), StatementGuard.ALLOW_ALL);

  private static Session bystander;

  private record Case(String name, Consumer<Integer> attack) {}

  @BeforeAll
  static void start() {
    bystander = gateway.driver(gateway.lease(Access.READ)).session();
    bystander.run("RETURN 1").consume();
  }

  @AfterAll
  static void stop() {
    bystander.close();
  }

  @TestFactory
  @Order(1)
  Stream<DynamicTest> hostile_input() {
    List<Case> cases = new ArrayList<>();
    cases.add(new Case("bad_magic", port -> closes(raw(port, "DEADBEEF" + "00".repeat(16)))));
    cases.add(
        new Case(
            "http_instead_of_bolt",
            port -> {
              RawBolt c = RawBolt.connect(port);
              c.write(
                  "GET / HTTP/1.1\r\nHost: gateway\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
              closes(c);
            }));
    cases.add(
        new Case(
            "no_common_version",
            port -> {
              RawBolt c = RawBolt.connect(port);
              assertThat(c.handshake(0x00000003, 0x00000104)).isZero();
              closes(c);
            }));
    cases.add(
        new Case(
            "manifest_pick_not_offered",
            port -> {
              RawBolt c = manifest(port);
              c.write(hex("00000909 00"));
              closes(c);
            }));
    cases.add(
        new Case(
            "manifest_pick_with_capabilities",
            port -> {
              RawBolt c = manifest(port);
              c.write(hex("00000805 01"));
              closes(c);
            }));
    cases.add(new Case("slow_handshake", port -> closes(raw(port, "6060"))));
    cases.add(
        new Case(
            "hello_and_then_no_login",
            port -> {
              RawBolt c = RawBolt.negotiated(port, V5_8);
              c.send(MessageType.HELLO, hello());
              c.expect(0x70);
              closes(c);
            }));
    cases.add(
        new Case(
            "oversized_chunk_before_login",
            port -> {
              RawBolt c = RawBolt.negotiated(port, V5_8);
              c.write(hex("FFFF" + "00".repeat(64)));
              failsAndCloses(c, INVALID);
            }));
    cases.add(
        new Case(
            "oversized_message_after_login",
            port -> {
              RawBolt c = loggedIn(port);
              byte[] chunk = hex("FFFF" + "00".repeat(0xFFFF));
              try {
                for (int i = 0; i < 20; i++) {
                  c.write(chunk);
                }
              } catch (IllegalStateException cut) {
                // the gateway closed while the client was still writing
              }
              closes(c);
            }));
    cases.add(new Case("truncated_string", port -> refused(port, "B3 10 D0 64 414243")));
    cases.add(
        new Case(
            "nesting_too_deep",
            port -> refused(port, "B3 10 8178 A1 8161" + "91".repeat(100) + "90" + " A0")));
    cases.add(new Case("huge_string_declared", port -> refused(port, "B3 10 D2 7FFFFFFF 41")));
    cases.add(
        new Case(
            "huge_list_declared", port -> refused(port, "B3 10 8178 A1 8161 D6 7FFFFFFF 01 A0")));
    cases.add(
        new Case("huge_map_declared", port -> refused(port, "B3 10 8178 DA 7FFFFFFF 8161 01")));
    cases.add(
        new Case(
            "huge_bytes_declared", port -> refused(port, "B3 10 8178 A1 8161 CE 7FFFFFFF 00 A0")));
    cases.add(new Case("unknown_message", port -> refused(port, "B0 99")));
    cases.add(new Case("not_a_structure", port -> refused(port, "8178")));
    cases.add(new Case("wrong_field_count", port -> refused(port, "B2 10 8178 A0")));
    cases.add(new Case("bytes_after_the_last_field", port -> refused(port, "B3 10 8178 A0 A0 C0")));
    cases.add(new Case("invalid_utf8", port -> refused(port, "B3 10 82 C328 A0 A0")));
    cases.add(new Case("reserved_marker", port -> refused(port, "B3 10 8178 A1 8161 C4 A0")));
    cases.add(
        new Case(
            "a_key_twice",
            port -> refused(port, "B1 11 A2 826462 856E656F346A 826462 8673797374656D")));
    cases.add(
        new Case(
            "request_before_hello",
            port -> {
              RawBolt c = RawBolt.negotiated(port, V5_8);
              c.send(MessageType.RUN, "RETURN 1", Map.of(), Map.of());
              failsAndCloses(c, INVALID);
            }));
    cases.add(
        new Case(
            "logon_before_hello",
            port -> {
              RawBolt c = RawBolt.negotiated(port, V5_8);
              c.send(MessageType.LOGON, AuthenticationTest.basic("a", "b"));
              failsAndCloses(c, INVALID);
            }));
    cases.add(
        new Case(
            "map_key_not_a_string",
            port -> {
              RawBolt c = RawBolt.negotiated(port, V5_8);
              c.sendHex("B1 01 A1 01 8178");
              failsAndCloses(c, INVALID);
            }));
    cases.add(
        new Case(
            "hello_after_login",
            port -> {
              RawBolt c = loggedIn(port);
              c.send(MessageType.HELLO, hello());
              failsAndCloses(c, INVALID);
            }));
    cases.add(
        new Case(
            "logon_in_a_version_without_it",
            port -> {
              RawBolt c = RawBolt.negotiated(port, new BoltVersion(5, 0));
              c.sendHex("B1 6A A0");
              failsAndCloses(c, INVALID);
            }));
    cases.add(
        new Case(
            "wrong_password",
            port -> {
              GatewayFixture.Lease lease = gateway.lease(Access.READ);
              RawBolt c = RawBolt.negotiated(port, V5_8);
              c.send(MessageType.HELLO, hello());
              c.expect(0x70);
              c.send(MessageType.LOGON, AuthenticationTest.basic(lease.user(), "not-it"));
              failsAndCloses(c, "Neo.ClientError.Security.Unauthorized");
            }));
    cases.add(new Case("more_connections_than_a_lease_may_hold", HostileBoltTest::overLeaseLimit));
    cases.add(
        new Case(
            "requests_pipelined_beyond_the_limit",
            port -> {
              RawBolt c = loggedIn(port);
              c.send(
                  MessageType.RUN,
                  "UNWIND range(1, 4000000000) AS i WITH i WHERE i < 0 RETURN 0",
                  Map.of(),
                  Map.of());
              c.send(MessageType.PULL, Map.of("n", -1L));
              for (int i = 0; i <= GatewaySession.MAX_PENDING_ANSWERS; i++) {
                c.send(MessageType.RUN, "RETURN 1", Map.of(), Map.of());
              }
              closes(c);
            }));
    cases.add(
        new Case(
            "idle_after_login",
            port -> {
              RawBolt c = loggedIn(port);
              assertThat(c.closedWithin(Duration.ofMillis(500))).as("not at once").isFalse();
              closes(c);
            }));
    return cases.stream()
        .map(c -> DynamicTest.dynamicTest(c.name(), () -> c.attack().accept(gateway.port())));
  }

  @Test
  @Order(2)
  void a_session_open_during_the_table_still_works() {
    assertThat(bystander.run("RETURN 'unharmed' AS x").single().get("x").asString())
        .isEqualTo("unharmed");
  }

  @Test
  @Order(3)
  void a_new_session_after_the_table_works() {
    try (Session s = gateway.driver(gateway.lease(Access.READ)).session()) {
      assertThat(s.run("RETURN 2 AS x").single().get("x").asInt()).isEqualTo(2);
    }
  }

  private static void overLeaseLimit(int port) {
    GatewayFixture.Lease lease = gateway.lease(Access.READ);
    List<RawBolt> held = new ArrayList<>();
    try {
      for (int i = 0; i < GatewayFixture.tight().maxConnectionsPerLease(); i++) {
        held.add(RawBolt.loggedIn(port, V5_8, lease.user(), lease.password()));
      }
      RawBolt extra = RawBolt.negotiated(port, V5_8);
      extra.send(MessageType.HELLO, hello());
      extra.expect(0x70);
      extra.send(MessageType.LOGON, AuthenticationTest.basic(lease.user(), lease.password()));
      failsAndCloses(extra, "Neo.TransientError.Request.ResourceExhaustion");
      held.get(0).send(MessageType.RUN, "RETURN 1", Map.of(), Map.of());
      held.get(0).expect(0x70);
    } finally {
      held.forEach(RawBolt::close);
    }
  }

  /** A logged-in connection sends {@code hex} as a message: FAILURE, then closed. */
  private static void refused(int port, String hex) {
    RawBolt c = loggedIn(port);
    c.sendHex(hex);
    failsAndCloses(c, INVALID);
  }

  private static RawBolt loggedIn(int port) {
    GatewayFixture.Lease lease = gateway.lease(Access.WRITE);
    return RawBolt.loggedIn(port, V5_8, lease.user(), lease.password());
  }

  private static RawBolt manifest(int port) {
    RawBolt c = RawBolt.connect(port);
    assertThat(c.handshake(Handshake.MANIFEST_V1)).isEqualTo(Handshake.MANIFEST_V1);
    c.manifest();
    return c;
  }

  private static RawBolt raw(int port, String hex) {
    RawBolt c = RawBolt.connect(port);
    c.write(hex(hex));
    return c;
  }

  private static void failsAndCloses(RawBolt c, String code) {
    try (c) {
      RawBolt.Reply reply = c.read();
      assertThat(reply).isNotNull();
      assertThat(reply.tag()).isEqualTo(0x7F);
      assertThat(reply.metadata().getOrDefault("neo4j_code", reply.metadata().get("code")))
          .isEqualTo(code);
      assertThat(c.closedWithin(PROMPTLY)).isTrue();
    }
  }

  private static void closes(RawBolt c) {
    try (c) {
      assertThat(c.closedWithin(PROMPTLY)).isTrue();
    }
  }

  private static Map<String, Object> hello() {
    return Map.of("user_agent", "raw-test/1", "bolt_agent", Map.of("product", "raw-test/1"));
  }

  private static byte[] hex(String hex) {
    return HexFormat.of().parseHex(hex.replace(" ", ""));
  }
}
