package io.neo4jaccess.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.neo4jaccess.gateway.bolt.BoltVersion;
import io.neo4jaccess.gateway.bolt.Handshake;
import io.neo4jaccess.gateway.bolt.MessageType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The gateway's Bolt as a client sees it on the wire, version by version. */
class GatewayProtocolTest {

  private static final int SUCCESS = 0x70;
  private static final int RECORD = 0x71;
  private static final int IGNORED = 0x7E;
  private static final int FAILURE = 0x7F;

  @RegisterExtension static final GatewayFixture gateway = GatewayFixture.start();
  private static GatewayFixture.Lease lease;

  @BeforeAll
  static void start() {
    lease = gateway.lease(Access.WRITE);
  }

  static List<BoltVersion> versions() {
    return BoltVersion.PARSED;
  }

  @ParameterizedTest(name = "Bolt {0}")
  @MethodSource("versions")
  void every_parsed_version_logs_in_and_runs_a_query(BoltVersion version) {
    try (RawBolt client = login(version)) {
      client.send(MessageType.RUN, "RETURN 1 AS x", Map.of(), Map.of());
      client.expect(SUCCESS);
      client.send(MessageType.PULL, Map.of("n", -1L));

      assertThat(client.expect(RECORD).fields()).containsExactly(List.of(1L));
      client.expect(SUCCESS);
    }
  }

  @Test
  void the_manifest_offers_what_both_the_gateway_and_neo4j_5_26_speak() {
    try (RawBolt client = RawBolt.connect(gateway.port())) {
      assertThat(client.handshake(Handshake.MANIFEST_V1, 0x00080805))
          .isEqualTo(Handshake.MANIFEST_V1);

      assertThat(client.manifest().stream().map(BoltVersion::decode))
          .containsExactly(
              new BoltVersion(5, 8),
              new BoltVersion(5, 7),
              new BoltVersion(5, 6),
              new BoltVersion(5, 4),
              new BoltVersion(5, 3),
              new BoltVersion(5, 2),
              new BoltVersion(5, 1),
              new BoltVersion(5, 0),
              new BoltVersion(4, 4));
    }
  }

  @Test
  void a_version_picked_from_the_manifest_is_used_upstream_too() {
    try (RawBolt client = RawBolt.connect(gateway.port())) {
      client.handshake(Handshake.MANIFEST_V1);
      client.manifest();
      client.write(java.util.HexFormat.of().parseHex("0000040500"));
      client.send(MessageType.HELLO, hello());
      client.expect(SUCCESS);
      client.send(MessageType.LOGON, AuthenticationTest.basic(lease.user(), lease.password()));
      client.expect(SUCCESS);
      client.send(MessageType.TELEMETRY, 1L);

      assertThat(client.expect(SUCCESS).metadata()).isEmpty();
    }
  }

  @Test
  void after_a_refusal_requests_are_ignored_until_reset() {
    try (RawBolt client = login(BoltVersion.V5_8)) {
      client.send(MessageType.COMMIT);
      assertThat(client.expect(FAILURE).metadata())
          .containsEntry("neo4j_code", "Neo.ClientError.Request.Invalid");
      client.send(MessageType.RUN, "RETURN 1", Map.of(), Map.of());
      client.expect(IGNORED);

      client.send(MessageType.RESET);
      client.expect(SUCCESS);
      client.send(MessageType.RUN, "RETURN 1", Map.of(), Map.of());
      client.expect(SUCCESS);
    }
  }

  @Test
  void a_refusal_waits_for_the_answers_to_earlier_requests() {
    try (RawBolt client = login(BoltVersion.V5_8)) {
      client.send(MessageType.RUN, "RETURN 1", Map.of(), Map.of());
      client.send(MessageType.PULL, Map.of("n", -1L));
      client.send(MessageType.BEGIN, Map.of("db", "system"));
      client.send(MessageType.RUN, "RETURN 2", Map.of(), Map.of());

      assertThat(List.of(tag(client), tag(client), tag(client), tag(client), tag(client)))
          .containsExactly(SUCCESS, RECORD, SUCCESS, FAILURE, IGNORED);
    }
  }

  @Test
  void route_is_answered_with_the_gateway_for_every_role() {
    try (RawBolt client = login(BoltVersion.V5_8)) {
      client.send(MessageType.ROUTE, Map.of("address", "somewhere:7687"), List.of(), Map.of());

      @SuppressWarnings("unchecked")
      Map<String, Object> rt = (Map<String, Object>) client.expect(SUCCESS).metadata().get("rt");
      assertThat(rt).containsEntry("ttl", 300L).containsEntry("db", "neo4j");
      assertThat(rt.get("servers"))
          .isEqualTo(List.of(server("WRITE"), server("READ"), server("ROUTE")));
    }
  }

  @Test
  void route_for_another_database_is_forbidden() {
    try (RawBolt client = login(BoltVersion.V5_8)) {
      client.send(MessageType.ROUTE, Map.of(), List.of(), Map.of("db", "system"));

      assertThat(client.expect(FAILURE).metadata())
          .containsEntry("neo4j_code", "Neo.ClientError.Security.Forbidden");
    }
  }

  @Test
  void impersonation_is_forbidden_and_audited() {
    GatewayFixture.Lease own = gateway.lease(Access.FULL);
    try (RawBolt client = login(BoltVersion.V5_8, own)) {
      client.send(MessageType.BEGIN, Map.of("imp_user", "neo4j"));

      assertThat(client.expect(FAILURE).metadata())
          .containsEntry("neo4j_code", "Neo.ClientError.Security.Forbidden");
    }
    assertThat(gateway.audit.refused(own.id()))
        .containsExactly(new CountingAudit.Refused(own.id(), "impersonation", null));
  }

  @Test
  void an_option_the_gateway_does_not_know_is_refused() {
    try (RawBolt client = login(BoltVersion.V5_8)) {
      client.send(MessageType.BEGIN, Map.of("future_option", true));

      assertThat(client.expect(FAILURE).metadata())
          .containsEntry("neo4j_code", "Neo.ClientError.Request.Invalid");
    }
  }

  @Test
  void a_second_begin_inside_a_transaction_is_refused() {
    try (RawBolt client = login(BoltVersion.V5_8)) {
      client.send(MessageType.BEGIN, Map.of());
      client.expect(SUCCESS);
      client.send(MessageType.BEGIN, Map.of());

      client.expect(FAILURE);
    }
  }

  @Test
  void reset_mid_stream_ends_the_stream_and_the_connection_goes_on() {
    try (RawBolt client = login(BoltVersion.V5_8)) {
      client.send(MessageType.RUN, "UNWIND range(1, 1000000000) AS i RETURN i", Map.of(), Map.of());
      client.expect(SUCCESS);
      client.send(MessageType.PULL, Map.of("n", -1L));
      client.expect(RECORD);

      client.send(MessageType.RESET);
      int tag;
      do {
        tag = tag(client);
      } while (tag == RECORD);
      client.expect(SUCCESS);

      client.send(MessageType.RUN, "RETURN 3", Map.of(), Map.of());
      client.expect(SUCCESS);
    }
  }

  @Test
  void from_bolt_5_8_a_begin_without_a_database_is_told_the_granted_one() {
    try (RawBolt client = login(BoltVersion.V5_8)) {
      client.send(MessageType.BEGIN, Map.of());

      assertThat(client.expect(SUCCESS).metadata()).containsEntry("db", "neo4j");
    }
  }

  @Test
  void from_bolt_5_8_an_auto_commit_run_without_a_database_is_told_the_granted_one() {
    try (RawBolt client = login(BoltVersion.V5_8)) {
      client.send(MessageType.RUN, "RETURN 1", Map.of(), Map.of());

      assertThat(client.expect(SUCCESS).metadata()).containsEntry("db", "neo4j");
    }
  }

  @Test
  void before_bolt_5_7_a_failure_has_code_and_message() {
    try (RawBolt client = login(new BoltVersion(5, 6))) {
      client.send(MessageType.BEGIN, Map.of("db", "system"));

      assertThat(client.expect(FAILURE).metadata())
          .containsOnlyKeys("code", "message")
          .containsEntry("code", "Neo.ClientError.Security.Forbidden");
    }
  }

  @Test
  void from_bolt_5_7_a_failure_has_the_gql_fields() {
    try (RawBolt client = login(BoltVersion.V5_7)) {
      client.send(MessageType.BEGIN, Map.of("db", "system"));

      assertThat(client.expect(FAILURE).metadata())
          .containsEntry("neo4j_code", "Neo.ClientError.Security.Forbidden")
          .containsEntry("gql_status", "42NFF")
          .containsKeys("message", "description", "diagnostic_record");
    }
  }

  private static Map<String, Object> server(String role) {
    return Map.of("addresses", List.of("127.0.0.1:" + gateway.port()), "role", role);
  }

  private static int tag(RawBolt client) {
    return client.read().tag();
  }

  private static RawBolt login(BoltVersion version) {
    return login(version, lease);
  }

  private static RawBolt login(BoltVersion version, GatewayFixture.Lease lease) {
    return RawBolt.loggedIn(gateway.port(), version, lease.user(), lease.password());
  }

  private static Map<String, Object> hello() {
    return Map.of("user_agent", "raw-test/1", "bolt_agent", Map.of("product", "raw-test/1"));
  }
}
