package io.neo4jaccess.gateway.bolt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.buffer.Buffer;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** PackStream as the gateway reads and writes it: every value back as it went, limits enforced. */
class PackStreamTest {

  @Test
  void every_value_kind_round_trips() {
    Map<String, Object> value = new LinkedHashMap<>();
    value.put("null", null);
    value.put("true", true);
    value.put("false", false);
    value.put("tiny", -16L);
    value.put("int8", -17L);
    value.put("int16", 1000L);
    value.put("int32", 100_000L);
    value.put("int64", Long.MAX_VALUE);
    value.put("float", 2.5);
    value.put("text", "ünïcödé " + "x".repeat(70_000));
    value.put("list", Arrays.asList(1L, null, List.of("nested")));
    value.put("struct", new PackStruct(0x44, List.of(19_000L)));

    Object back = read(write(value)).readValue();

    assertThat(back).isEqualTo(value);
  }

  @Test
  void bytes_round_trip() {
    byte[] bytes = {1, 2, 3, -1};

    assertThat((byte[]) read(write(bytes)).readValue()).isEqualTo(bytes);
  }

  @Test
  void skipping_a_value_lands_where_reading_it_would() {
    Buffer encoded = write(Map.of("a", List.of(1L, Map.of("b", "c")))).appendByte((byte) 0x01);
    PackStreamReader skipper = read(encoded);
    PackStreamReader reader = read(encoded);

    skipper.skipValue();
    reader.readValue();

    assertThat(skipper.position()).isEqualTo(reader.position()).isEqualTo(encoded.length() - 1);
  }

  @Test
  void a_size_past_the_end_is_refused_before_anything_is_allocated() {
    assertThatThrownBy(() -> read(hex("D6 7FFFFFFF 01")).readValue())
        .isInstanceOf(BoltProtocolException.class)
        .hasMessageContaining("past the end");
  }

  @Test
  void a_value_cut_short_is_refused() {
    assertThatThrownBy(() -> read(hex("CB 0001")).readValue())
        .isInstanceOf(BoltProtocolException.class);
  }

  @Test
  void nesting_beyond_the_limit_is_refused_when_skipping_too() {
    Buffer deep = hex("91".repeat(10) + "90");

    assertThatThrownBy(() -> new PackStreamReader(deep, 0, deep.length(), 5).skipValue())
        .isInstanceOf(BoltProtocolException.class)
        .hasMessageContaining("nested deeper than 5");
  }

  @Test
  void a_map_with_a_key_twice_is_refused() {
    assertThatThrownBy(() -> read(hex("A2 8161 01 8161 02")).readMap())
        .isInstanceOf(BoltProtocolException.class)
        .hasMessageContaining("twice");
  }

  @Test
  void a_map_key_must_be_a_string() {
    assertThatThrownBy(() -> read(hex("A1 01 02")).readMap())
        .isInstanceOf(BoltProtocolException.class);
  }

  @Test
  void a_skipped_map_still_needs_string_keys_within_the_message() {
    assertThatThrownBy(() -> read(hex("A1 01 02")).skipValue())
        .isInstanceOf(BoltProtocolException.class)
        .hasMessageContaining("expected a string");
    assertThatThrownBy(() -> read(hex("A1 8F 6162")).skipValue())
        .isInstanceOf(BoltProtocolException.class)
        .hasMessageContaining("ends inside a value");
  }

  @Test
  void one_reader_decodes_strings_one_after_another() {
    PackStreamReader reader = read(hex("83 C3A96F 82 C328 81 61"));

    assertThat(reader.readString()).isEqualTo("éo");
    assertThatThrownBy(reader::readString).hasMessageContaining("UTF-8");
    assertThat(reader.readString()).isEqualTo("a");
  }

  @Test
  void text_must_be_valid_utf8() {
    assertThatThrownBy(() -> read(hex("82 C328")).readString())
        .isInstanceOf(BoltProtocolException.class)
        .hasMessageContaining("UTF-8");
  }

  @Test
  void reserved_markers_are_refused() {
    for (String marker : List.of("C4", "C7", "CF", "D3", "DB", "EF")) {
      assertThatThrownBy(() -> read(hex(marker)).readValue())
          .as(marker)
          .isInstanceOf(BoltProtocolException.class);
    }
  }

  private static Buffer write(Object value) {
    Buffer out = Buffer.buffer();
    new PackStreamWriter(out).value(value);
    return out;
  }

  private static PackStreamReader read(Buffer in) {
    return new PackStreamReader(in, 0, in.length(), 16);
  }

  static Buffer hex(String hex) {
    return Buffer.buffer(HexFormat.of().parseHex(hex.replace(" ", "")));
  }
}
