package io.neo4jaccess.gateway.bolt;

import io.vertx.core.buffer.Buffer;
import java.util.LinkedHashMap;
import java.util.Map;

/** The server's message tags, and the framed replies the gateway writes in the server's place. */
public final class ServerMessages {

  public static final int SUCCESS = 0x70;
  public static final int RECORD = 0x71;
  public static final int IGNORED = 0x7E;
  public static final int FAILURE = 0x7F;

  private ServerMessages() {}

  /** Whether {@code tag} ends the answer to one request (RECORDs come before it). */
  public static boolean isSummary(int tag) {
    return tag == SUCCESS || tag == IGNORED || tag == FAILURE;
  }

  public static Buffer success(Map<String, Object> metadata) {
    return message(SUCCESS, metadata);
  }

  public static Buffer ignored() {
    Buffer body = Buffer.buffer(2);
    new PackStreamWriter(body).structHeader(0, IGNORED);
    return Chunks.frame(body);
  }

  /**
   * A FAILURE in the shape {@code version} expects: {@code code} and {@code message} before 5.7,
   * the GQL fields from 5.7 on.
   */
  public static Buffer failure(BoltVersion version, BoltStatus status, String message) {
    Map<String, Object> metadata = new LinkedHashMap<>();
    if (version.atLeast(BoltVersion.V5_7)) {
      metadata.put("neo4j_code", status.code());
      metadata.put("message", message);
      metadata.put("gql_status", status.gqlStatus());
      metadata.put("description", "error: " + message);
      metadata.put(
          "diagnostic_record",
          Map.of("OPERATION", "", "OPERATION_CODE", "0", "CURRENT_SCHEMA", "/"));
    } else {
      metadata.put("code", status.code());
      metadata.put("message", message);
    }
    return message(FAILURE, metadata);
  }

  /**
   * A captured reply, framed again: a SUCCESS without {@code key} gains it, anything else is
   * unchanged.
   */
  public static Buffer withDefault(Buffer message, String key, Object value) {
    PackStreamReader in = new PackStreamReader(message, 0, message.length(), 32);
    int fields = in.readStructSize();
    if (in.readUnsignedByte() != SUCCESS || fields != 1) {
      return Chunks.frame(message);
    }
    Map<String, Object> metadata = in.readMap();
    if (metadata.containsKey(key)) {
      return Chunks.frame(message);
    }
    Map<String, Object> amended = new LinkedHashMap<>(metadata);
    amended.put(key, value);
    return success(amended);
  }

  private static Buffer message(int tag, Map<String, Object> metadata) {
    Buffer body = Buffer.buffer(64);
    new PackStreamWriter(body).structHeader(1, tag).value(metadata);
    return Chunks.frame(body);
  }
}
