package io.neo4jaccess.gateway.bolt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Bolt framing: messages split into chunks and back, however the bytes arrive. */
class ChunksTest {

  @Test
  void a_framed_message_is_reassembled_whatever_the_read_sizes() {
    Buffer message = Buffer.buffer(new byte[150_000]).setByte(149_999, (byte) 7);
    Buffer framed = Chunks.frame(message);
    List<Buffer> out = new ArrayList<>();
    Chunks chunks = new Chunks(1 << 20);

    for (int at = 0; at < framed.length(); at += 777) {
      chunks.feed(framed.slice(at, Math.min(framed.length(), at + 777)), out::add);
    }

    assertThat(out).hasSize(1);
    assertThat(out.get(0).getBytes()).isEqualTo(message.getBytes());
  }

  @Test
  void large_messages_go_in_chunks_of_at_most_65535_bytes() {
    Buffer framed = Chunks.frame(Buffer.buffer(new byte[70_000]));

    assertThat(framed.getUnsignedShort(0)).isEqualTo(65_535);
    assertThat(framed.getUnsignedShort(2 + 65_535)).isEqualTo(70_000 - 65_535);
    assertThat(framed.getUnsignedShort(framed.length() - 2)).isZero();
  }

  @Test
  void keep_alive_chunks_between_messages_are_skipped() {
    List<Buffer> out = new ArrayList<>();

    new Chunks(100).feed(PackStreamTest.hex("0000 0000 0002 B00F 0000"), out::add);

    assertThat(out).hasSize(1);
  }

  @Test
  void a_chunk_that_would_pass_the_limit_is_refused_on_its_header() {
    Chunks chunks = new Chunks(1000);

    assertThatThrownBy(() -> chunks.feed(PackStreamTest.hex("FFFF"), m -> {}))
        .isInstanceOf(BoltProtocolException.class)
        .hasMessageContaining("larger than 1000");
  }

  @Test
  void the_limit_counts_every_chunk_of_a_message() {
    Chunks chunks = new Chunks(1000);
    chunks.feed(PackStreamTest.hex("0258").appendBuffer(Buffer.buffer(new byte[600])), m -> {});

    assertThatThrownBy(() -> chunks.feed(PackStreamTest.hex("0191"), m -> {}))
        .isInstanceOf(BoltProtocolException.class);
  }
}
