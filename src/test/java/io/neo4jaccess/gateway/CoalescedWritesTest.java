package io.neo4jaccess.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CoalescedWritesTest {

  /** The socket's side: what was written to it, one entry per write, and whether it is full. */
  final List<String> written = new ArrayList<>();

  boolean queueFull;

  final NetSocket socket =
      (NetSocket)
          Proxy.newProxyInstance(
              NetSocket.class.getClassLoader(),
              new Class<?>[] {NetSocket.class},
              (proxy, method, args) ->
                  switch (method.getName()) {
                    case "write" -> {
                      written.add(((Buffer) args[0]).toString());
                      yield Future.succeededFuture();
                    }
                    case "writeQueueFull" -> queueFull;
                    default -> throw new UnsupportedOperationException(method.getName());
                  });

  final CoalescedWrites writes = new CoalescedWrites(socket);

  @Test
  void writes_outside_a_handling_go_out_at_once() {
    writes.write(Buffer.buffer("RUN"));
    writes.write(Buffer.buffer("PULL"));

    assertThat(written).containsExactly("RUN", "PULL");
  }

  @Test
  void the_writes_of_one_handling_go_out_as_one_write_in_order() {
    writes.around(
        () -> {
          writes.write(Buffer.buffer("RUN"));
          writes.write(Buffer.buffer("PULL"));
          writes.write(Buffer.buffer("COMMIT"));
          assertThat(written).as("nothing is sent before the handling ends").isEmpty();
        });

    assertThat(written).containsExactly("RUNPULLCOMMIT");
  }

  @Test
  void a_nested_handling_joins_the_outer_one() {
    writes.around(
        () -> {
          writes.write(Buffer.buffer("a"));
          writes.around(() -> writes.write(Buffer.buffer("b")));
          writes.write(Buffer.buffer("c"));
        });

    assertThat(written).containsExactly("abc");
  }

  @Test
  void a_flush_sends_what_is_held_before_what_follows() {
    writes.around(
        () -> {
          writes.write(Buffer.buffer("SUCCESS"));
          writes.flush();
          writes.write(Buffer.buffer("RECORD"));
        });

    assertThat(written).containsExactly("SUCCESS", "RECORD");
  }

  @Test
  void a_write_that_fills_the_queue_is_reported_once_per_write() {
    AtomicInteger full = new AtomicInteger();
    writes.whenFull(full::incrementAndGet);
    queueFull = true;

    writes.around(
        () -> {
          writes.write(Buffer.buffer("x"));
          writes.write(Buffer.buffer("y"));
        });

    assertThat(written).containsExactly("xy");
    assertThat(full).hasValue(1);
  }

  @Test
  void a_failing_handling_still_sends_what_it_wrote() {
    assertThatThrownBy(
            () ->
                writes.around(
                    () -> {
                      writes.write(Buffer.buffer("FAILURE"));
                      throw new IllegalStateException("handling failed");
                    }))
        .hasMessage("handling failed");

    assertThat(written).containsExactly("FAILURE");
  }
}
