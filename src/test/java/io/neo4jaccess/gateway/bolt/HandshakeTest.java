package io.neo4jaccess.gateway.bolt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Version negotiation, both as the server of a client and as a client of Neo4j. */
class HandshakeTest {

  private static final List<BoltVersion> SUPPORTED = BoltVersion.PARSED;

  @Test
  void the_first_proposal_that_fits_wins_with_its_newest_version() {
    int range58to50 = 0x00080805;

    Handshake.Answer answer =
        Handshake.answer(new int[] {0x00000006, range58to50, 0x404, 0}, SUPPORTED);

    assertThat(answer.version()).isEqualTo(new BoltVersion(5, 8));
  }

  @Test
  void a_range_skips_versions_the_gateway_does_not_speak() {
    Handshake.Answer answer = Handshake.answer(new int[] {0x00010505, 0, 0, 0}, SUPPORTED);

    assertThat(answer.version()).isEqualTo(new BoltVersion(5, 4));
  }

  @Test
  void a_manifest_proposal_is_preferred_where_it_stands_first() {
    assertThat(
            Handshake.answer(new int[] {Handshake.MANIFEST_V1, 0x805, 0, 0}, SUPPORTED).manifest())
        .isTrue();
  }

  @Test
  void nothing_in_common_is_no_agreement() {
    assertThat(Handshake.answer(new int[] {0x3, 0x104, 0, 0}, SUPPORTED).agreed()).isFalse();
  }

  @Test
  void the_magic_word_is_checked() {
    assertThatThrownBy(() -> Handshake.proposals(PackStreamTest.hex("00".repeat(20))))
        .isInstanceOf(BoltProtocolException.class);
  }

  @Test
  void a_manifest_lists_every_version_and_no_capability() {
    assertThat(Handshake.manifest(List.of(new BoltVersion(5, 8), BoltVersion.V4_4)).getBytes())
        .isEqualTo(PackStreamTest.hex("000001FF 02 00000805 00000404 00").getBytes());
  }

  @Test
  void a_pick_from_the_manifest_is_read_once_complete() {
    assertThat(Handshake.readChoice(PackStreamTest.hex("00000805"))).isNull();
    assertThat(Handshake.readChoice(PackStreamTest.hex("00000805 00")))
        .isEqualTo(new Handshake.Choice(new BoltVersion(5, 8), 5));
  }

  @Test
  void a_pick_may_ask_for_no_capability_and_no_range() {
    assertThatThrownBy(() -> Handshake.readChoice(PackStreamTest.hex("00000805 01")))
        .isInstanceOf(BoltProtocolException.class);
    assertThatThrownBy(() -> Handshake.readChoice(PackStreamTest.hex("00020805 00")))
        .isInstanceOf(BoltProtocolException.class);
  }

  @Test
  void a_server_manifest_is_read_with_its_ranges_unwound() {
    Handshake.Offer offer =
        Handshake.readOffer(PackStreamTest.hex("000001FF 03 00040404 00040405 00020805 00"));

    assertThat(offer.manifest()).isTrue();
    assertThat(offer.versions())
        .contains(
            new BoltVersion(5, 8), new BoltVersion(5, 6), new BoltVersion(5, 4), BoltVersion.V4_4)
        .doesNotContain(new BoltVersion(5, 5))
        .hasSize(13);
  }

  @Test
  void a_legacy_server_answer_is_one_version_or_none() {
    assertThat(Handshake.readOffer(PackStreamTest.hex("00000405")).versions())
        .containsExactly(new BoltVersion(5, 4));
    assertThat(Handshake.readOffer(PackStreamTest.hex("00000000")).versions()).isEmpty();
  }
}
