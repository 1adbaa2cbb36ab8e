package io.neo4jaccess.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Whose address a request counts under: X-Forwarded-For is believed only from proxies named. */
class SourceAddressTest {

  static final SourceAddress BEHIND_PROXIES =
      new SourceAddress(List.of("10.0.0.0/8", "2001:db8:ffff::/48"));
  static final SourceAddress NO_PROXY = new SourceAddress(List.of());

  @Test
  void a_client_that_is_no_proxy_is_counted_by_its_own_address_whatever_it_forwards() {
    assertThat(BEHIND_PROXIES.of("198.51.100.7", "203.0.113.1")).isEqualTo("198.51.100.7");
    assertThat(NO_PROXY.of("10.1.2.3", "203.0.113.1")).isEqualTo("10.1.2.3");
  }

  @Test
  void behind_a_trusted_proxy_the_client_is_the_address_the_proxy_appended() {
    assertThat(BEHIND_PROXIES.of("10.1.2.3", "203.0.113.1")).isEqualTo("203.0.113.1");
  }

  @Test
  void addresses_a_client_wrote_before_the_proxies_appended_theirs_are_never_believed() {
    // the client sent "X-Forwarded-For: 192.0.2.99"; the edge proxy appended the client's real
    // address, an inner proxy (also trusted) appended the edge's
    assertThat(BEHIND_PROXIES.of("10.1.2.3", "192.0.2.99, 203.0.113.1, 10.9.9.9"))
        .isEqualTo("203.0.113.1");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "garbage | 203.0.113.1, not-an-address",
        "a host name, which is never looked up | localhost",
        "empty | ''"
      })
  void a_forwarded_entry_that_is_no_address_leaves_the_proxy_as_the_source(
      String why, String forwarded) {
    assertThat(BEHIND_PROXIES.of("10.1.2.3", forwarded)).isEqualTo("10.1.2.3");
  }

  @Test
  void ports_as_some_proxies_write_them_are_ignored() {
    assertThat(BEHIND_PROXIES.of("10.1.2.3", "203.0.113.1:51234")).isEqualTo("203.0.113.1");
    assertThat(BEHIND_PROXIES.of("10.1.2.3", "[2001:db8:1:2::5]:443"))
        .isEqualTo(BEHIND_PROXIES.of("2001:db8:1:2::5", null));
  }

  @Test
  void an_ipv6_host_counts_by_its_slash_64() {
    assertThat(NO_PROXY.of("2001:db8:1:2::5", null))
        .isEqualTo(NO_PROXY.of("2001:db8:1:2:ffff:ffff:ffff:ffff", null))
        .isNotEqualTo(NO_PROXY.of("2001:db8:1:3::5", null));
  }

  @Test
  void an_ipv4_mapped_ipv6_peer_is_its_ipv4_address() {
    assertThat(BEHIND_PROXIES.of("::ffff:10.1.2.3", "203.0.113.1")).isEqualTo("203.0.113.1");
  }

  @Test
  void a_trusted_proxy_entry_that_is_no_address_is_refused() {
    assertThatThrownBy(() -> new SourceAddress(List.of("proxy.example.com")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("proxy.example.com");
    assertThatThrownBy(() -> new SourceAddress(List.of("10.0.0.0/33")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("prefix length");
  }
}
