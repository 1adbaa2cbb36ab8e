package io.neo4jaccess.gateway.bolt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The server's stream reaches the client byte for byte, with summaries reported after their bytes.
 */
class ServerStreamTest {

  private static final String RECORD = "0003 B171 90 0000";
  private static final String SUCCESS = "0003 B170 A0 0000";
  private final Buffer client = Buffer.buffer();
  private final List<String> events = new ArrayList<>();
  private boolean captureNext;

  private final ServerStream stream =
      new ServerStream(
          bytes -> {
            client.appendBuffer(bytes);
            events.add("bytes:" + bytes.length());
          },
          new ServerStream.Listener() {
            @Override
            public boolean captureNext() {
              boolean capture = captureNext;
              captureNext = false;
              return capture;
            }

            @Override
            public void captured(Buffer message) {
              events.add("captured:" + message.length());
            }

            @Override
            public void summary(int tag) {
              events.add("summary:" + Integer.toHexString(tag) + "@" + client.length());
            }
          });

  @Test
  void records_and_summaries_pass_unchanged_even_byte_by_byte() {
    Buffer sent = PackStreamTest.hex(RECORD + RECORD + "0000" + SUCCESS);

    for (int i = 0; i < sent.length(); i++) {
      stream.feed(sent.slice(i, i + 1));
    }

    assertThat(client.getBytes()).isEqualTo(sent.getBytes());
    assertThat(events)
        .filteredOn(e -> e.startsWith("summary"))
        .containsExactly("summary:70@" + sent.length());
  }

  @Test
  void a_summary_is_reported_after_its_bytes_went_out() {
    stream.feed(PackStreamTest.hex(SUCCESS + RECORD));

    assertThat(events).containsExactly("bytes:7", "summary:70@7", "bytes:7");
  }

  @Test
  void a_captured_message_is_handed_over_unframed_and_not_passed_on() {
    captureNext = true;

    stream.feed(PackStreamTest.hex(SUCCESS + RECORD));

    assertThat(events).containsExactly("captured:3", "bytes:7");
    assertThat(client.getBytes()).isEqualTo(PackStreamTest.hex(RECORD).getBytes());
  }

  @Test
  void a_captured_message_split_anywhere_never_reaches_the_client() {
    captureNext = true;
    Buffer sent = PackStreamTest.hex("0000" + SUCCESS + RECORD);

    for (int i = 0; i < sent.length(); i++) {
      stream.feed(sent.slice(i, i + 1));
    }

    assertThat(client.getBytes()).isEqualTo(PackStreamTest.hex(RECORD).getBytes());
    assertThat(events).contains("captured:3");
  }

  @Test
  void a_request_message_from_the_server_is_refused() {
    assertThatThrownBy(() -> stream.feed(PackStreamTest.hex("0002 B110 0000")))
        .isInstanceOf(BoltProtocolException.class);
  }

  @Test
  void a_message_that_is_no_structure_is_refused() {
    assertThatThrownBy(() -> stream.feed(PackStreamTest.hex("0001 81 0000")))
        .isInstanceOf(BoltProtocolException.class);
  }
}
