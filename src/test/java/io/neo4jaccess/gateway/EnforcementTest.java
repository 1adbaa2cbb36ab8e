package io.neo4jaccess.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.neo4jaccess.gateway.bolt.BoltStatus;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a grant does to requests' options, without a server. */
class EnforcementTest {

  private static final GatewayGrant READ = grant(Access.READ);
  private static final GatewayGrant WRITE = grant(Access.WRITE);

  @Test
  void a_transaction_without_a_database_gets_the_granted_one() {
    assertThat(Enforcement.transaction(Map.of(), WRITE)).containsEntry("db", "neo4j");
  }

  @Test
  void a_read_grant_runs_in_read_mode_whatever_the_client_asked() {
    assertThat(Enforcement.transaction(Map.of("mode", "w"), READ)).containsEntry("mode", "r");
  }

  @Test
  void a_write_grant_keeps_the_mode_the_client_chose() {
    assertThat(Enforcement.transaction(Map.of("mode", "r"), WRITE)).containsEntry("mode", "r");
    assertThat(Enforcement.transaction(Map.of(), WRITE)).doesNotContainKey("mode");
  }

  @Test
  void the_leases_metadata_wins_over_the_clients_and_the_rest_is_kept() {
    Map<String, Object> extra =
        Enforcement.transaction(
            Map.of("tx_metadata", Map.of("lease", "forged", "app", "loader")), WRITE);

    assertThat(extra.get("tx_metadata"))
        .isEqualTo(
            Map.of(
                "lease",
                "lease-1",
                "project",
                "g/p",
                "pipeline",
                10L,
                "job",
                20L,
                "app",
                "loader"));
  }

  @Test
  void other_options_pass_unchanged() {
    assertThat(Enforcement.transaction(Map.of("bookmarks", List.of("b1"), "tx_timeout", 5L), WRITE))
        .containsEntry("bookmarks", List.of("b1"))
        .containsEntry("tx_timeout", 5L);
  }

  @Test
  void another_database_is_refused_naming_the_grant() {
    assertThatThrownBy(() -> Enforcement.transaction(Map.of("db", "system"), WRITE))
        .isInstanceOf(Refusal.class)
        .hasMessage("lease lease-1 is granted database neo4j only")
        .extracting(e -> ((Refusal) e).status())
        .isEqualTo(BoltStatus.FORBIDDEN);
  }

  @Test
  void impersonation_is_refused() {
    assertThatThrownBy(() -> Enforcement.transaction(Map.of("imp_user", "neo4j"), WRITE))
        .extracting(e -> ((Refusal) e).rule())
        .isEqualTo(Enforcement.RULE_IMPERSONATION);
  }

  @Test
  void an_unknown_option_is_refused_as_invalid() {
    assertThatThrownBy(() -> Enforcement.transaction(Map.of("surprise", 1L), WRITE))
        .extracting(e -> ((Refusal) e).status())
        .isEqualTo(BoltStatus.INVALID);
  }

  @Test
  void metadata_that_is_not_a_map_is_refused() {
    assertThatThrownBy(() -> Enforcement.transaction(Map.of("tx_metadata", "x"), WRITE))
        .isInstanceOf(Refusal.class);
  }

  @Test
  void a_run_in_a_transaction_is_checked_but_not_changed() {
    Map<String, Object> extra = Map.of("bookmarks", List.of());

    assertThat(Enforcement.inTransaction(extra, READ)).isSameAs(extra);
    assertThatThrownBy(() -> Enforcement.inTransaction(Map.of("db", "system"), READ))
        .isInstanceOf(Refusal.class);
  }

  @Test
  void the_routing_table_names_the_gateway_for_every_role() {
    @SuppressWarnings("unchecked")
    Map<String, Object> rt =
        (Map<String, Object>) Enforcement.routingTable(WRITE, "gw.example:7688", 300).get("rt");

    assertThat(rt).containsEntry("ttl", 300L).containsEntry("db", "neo4j");
    assertThat(rt.get("servers"))
        .isEqualTo(
            List.of(
                Map.of("addresses", List.of("gw.example:7688"), "role", "WRITE"),
                Map.of("addresses", List.of("gw.example:7688"), "role", "READ"),
                Map.of("addresses", List.of("gw.example:7688"), "role", "ROUTE")));
  }

  @Test
  void hello_goes_upstream_without_routing_and_with_the_upstream_login() {
    Map<String, Object> upstream =
        Enforcement.upstreamHello(
            Map.of(
                "user_agent", "app",
                "routing", Map.of("address", "gw:7688"),
                "scheme", "basic",
                "principal", "client",
                "credentials", "client-secret"),
            new UpstreamLogin("job_user", "job-secret"));

    assertThat(upstream)
        .containsEntry("user_agent", "app")
        .containsEntry("principal", "job_user")
        .containsEntry("credentials", "job-secret")
        .doesNotContainKey("routing");
  }

  @Test
  void only_basic_credentials_are_accepted() {
    assertThat(
            Enforcement.credentials(
                Map.of("scheme", "basic", "principal", "u", "credentials", "p")))
        .isEqualTo(new Enforcement.Credentials("u", "p"));
    assertThatThrownBy(
            () -> Enforcement.credentials(Map.of("scheme", "bearer", "credentials", "token")))
        .extracting(e -> ((Refusal) e).status())
        .isEqualTo(BoltStatus.UNAUTHORIZED);
  }

  @Test
  void credentials_never_show_in_to_string() {
    assertThat(new Enforcement.Credentials("u", "secret-pw").toString())
        .doesNotContain("secret-pw");
    assertThat(WRITE.toString()).doesNotContain("secret-pw");
  }

  private static GatewayGrant grant(Access access) {
    return new GatewayGrant(
        "lease-1",
        "t",
        "neo4j",
        access,
        false,
        false,
        new UpstreamLogin("u", "secret-pw"),
        "g/p",
        10,
        20);
  }
}
