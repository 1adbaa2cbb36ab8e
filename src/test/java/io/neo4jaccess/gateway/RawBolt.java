package io.neo4jaccess.gateway;

import io.neo4jaccess.gateway.bolt.BoltVersion;
import io.neo4jaccess.gateway.bolt.Chunks;
import io.neo4jaccess.gateway.bolt.Handshake;
import io.neo4jaccess.gateway.bolt.MessageType;
import io.neo4jaccess.gateway.bolt.PackStreamReader;
import io.neo4jaccess.gateway.bolt.PackStreamWriter;
import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A blocking Bolt client over a plain socket, for the cases a driver never sends: raw bytes,
 * hand-made messages, one reply at a time.
 */
final class RawBolt implements AutoCloseable {

  /** A server message: its tag and decoded fields. */
  record Reply(int tag, List<Object> fields) {
    @SuppressWarnings("unchecked")
    Map<String, Object> metadata() {
      return (Map<String, Object>) fields.get(0);
    }
  }

  private final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;

  private RawBolt(int port) throws IOException {
    socket = new Socket("127.0.0.1", port);
    socket.setSoTimeout(5000);
    in = new DataInputStream(socket.getInputStream());
    out = socket.getOutputStream();
  }

  static RawBolt connect(int port) {
    try {
      return new RawBolt(port);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Proposes exactly {@code version} and checks that it was agreed. */
  static RawBolt negotiated(int port, BoltVersion version) {
    RawBolt bolt = connect(port);
    int answer = bolt.handshake(version.encode());
    if (answer != version.encode()) {
      throw new IllegalStateException("gateway answered " + Integer.toHexString(answer));
    }
    return bolt;
  }

  /** A 5.x connection logged in with {@code user}, {@code password}. */
  static RawBolt loggedIn(int port, BoltVersion version, String user, String password) {
    RawBolt bolt = negotiated(port, version);
    Map<String, Object> auth =
        Map.of("scheme", "basic", "principal", user, "credentials", password);
    Map<String, Object> agent =
        Map.of("user_agent", "raw-test/1", "bolt_agent", Map.of("product", "raw-test/1"));
    if (version.atLeast(BoltVersion.V5_1)) {
      bolt.send(MessageType.HELLO, agent);
      bolt.expect(0x70);
      bolt.send(MessageType.LOGON, auth);
    } else {
      Map<String, Object> hello = new java.util.HashMap<>(auth);
      hello.put("user_agent", "raw-test/1");
      bolt.send(MessageType.HELLO, hello);
    }
    bolt.expect(0x70);
    return bolt;
  }

  /** Writes the magic and up to four proposals; returns the four-byte answer. */
  int handshake(int... proposals) {
    write(Handshake.preamble(proposals).getBytes());
    try {
      return in.readInt();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * After a manifest answer: the versions it lists (as handshake words); skips its capabilities.
   */
  List<Integer> manifest() {
    try {
      int count = varint();
      List<Integer> words = new java.util.ArrayList<>();
      for (int i = 0; i < count; i++) {
        words.add(in.readInt());
      }
      varint();
      return words;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private int varint() throws IOException {
    int value = 0;
    for (int shift = 0; ; shift += 7) {
      int b = in.readUnsignedByte();
      value |= (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        return value;
      }
    }
  }

  void write(byte[] bytes) {
    try {
      out.write(bytes);
      out.flush();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Frames and sends a message given as hex bytes (spaces ignored). */
  void sendHex(String hex) {
    sendBody(Buffer.buffer(java.util.HexFormat.of().parseHex(hex.replace(" ", ""))));
  }

  /** Frames and sends a message whose body is given as raw bytes. */
  void sendBody(Buffer body) {
    write(Chunks.frame(body).getBytes());
  }

  void send(MessageType type, Object... fields) {
    Buffer body = Buffer.buffer();
    PackStreamWriter w = new PackStreamWriter(body).structHeader(fields.length, type.tag());
    for (Object f : fields) {
      w.value(f);
    }
    sendBody(body);
  }

  /** The next message, or null once the gateway closed the connection. */
  Reply read() {
    try {
      ByteArrayOutputStream message = new ByteArrayOutputStream();
      int size;
      while ((size = in.readUnsignedShort()) != 0 || message.size() == 0) {
        byte[] chunk = new byte[size];
        in.readFully(chunk);
        message.write(chunk);
      }
      Buffer body = Buffer.buffer(message.toByteArray());
      PackStreamReader r = new PackStreamReader(body, 0, body.length(), 64);
      int n = r.readStructSize();
      int tag = r.readUnsignedByte();
      List<Object> fields = new java.util.ArrayList<>();
      for (int i = 0; i < n; i++) {
        fields.add(r.readValue());
      }
      return new Reply(tag, fields);
    } catch (EOFException e) {
      return null;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Reads the next message and checks its tag. */
  Reply expect(int tag) {
    Reply reply = read();
    if (reply == null || reply.tag() != tag) {
      throw new IllegalStateException("expected " + Integer.toHexString(tag) + " got " + reply);
    }
    return reply;
  }

  /** Whether the gateway closes the connection within {@code limit}, reading past any replies. */
  boolean closedWithin(Duration limit) {
    long deadline = System.nanoTime() + limit.toNanos();
    try {
      InputStream raw = socket.getInputStream();
      byte[] sink = new byte[8192];
      while (System.nanoTime() < deadline) {
        socket.setSoTimeout((int) Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
        try {
          if (raw.read(sink) < 0) {
            return true;
          }
        } catch (SocketTimeoutException e) {
          return false;
        }
      }
      return false;
    } catch (IOException e) {
      return true;
    }
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      // already gone
    }
  }
}
