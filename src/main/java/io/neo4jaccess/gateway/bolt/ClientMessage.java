package io.neo4jaccess.gateway.bolt;

import io.vertx.core.buffer.Buffer;
import java.util.List;
import java.util.Map;

/**
 * One request from a client, checked against its version's shape: the right tag, field count and
 * field types, nesting and sizes within limits, nothing after the last field. A RUN keeps its query
 * and parameters as bytes, so that forwarding it re-encodes only its extra map.
 *
 * <p>{@code toString} names the type only: a message may hold credentials, queries or parameters.
 */
public final class ClientMessage {

  private final MessageType type;
  private final List<Object> fields;
  private final Buffer body;
  private final int parametersStart;
  private final int parametersEnd;
  private final int maxDepth;

  private ClientMessage(
      MessageType type,
      List<Object> fields,
      Buffer body,
      int parametersStart,
      int parametersEnd,
      int maxDepth) {
    this.type = type;
    this.fields = fields;
    this.body = body;
    this.parametersStart = parametersStart;
    this.parametersEnd = parametersEnd;
    this.maxDepth = maxDepth;
  }

  /**
   * Decodes one reassembled message.
   *
   * @throws BoltProtocolException for an unknown tag, a wrong field count or type, or a value that
   *     breaks the limits
   */
  public static ClientMessage decode(Buffer body, BoltVersion version, int maxDepth) {
    PackStreamReader in = new PackStreamReader(body, 0, body.length(), maxDepth);
    int size = in.readStructSize();
    int tag = in.readUnsignedByte();
    MessageType type =
        MessageType.of(tag, version)
            .orElseThrow(() -> new BoltProtocolException("unknown message " + hex(tag)));
    if (size != type.fields()) {
      throw new BoltProtocolException(type + " takes " + type.fields() + " fields, not " + size);
    }
    int start = -1;
    int end = -1;
    List<Object> fields;
    switch (type) {
      case RUN -> {
        String query = in.readString();
        start = in.position();
        in.skipValue();
        end = in.position();
        if (!isMap(body.getUnsignedByte(start))) {
          throw new BoltProtocolException("RUN parameters must be a map");
        }
        fields = List.of(query, in.readMap());
      }
      case ROUTE -> fields = List.of(in.readMap(), list(in.readValue()), in.readMap());
      case TELEMETRY -> fields = List.of(in.readInteger());
      default -> fields = type.fields() == 1 ? List.of(in.readMap()) : List.of();
    }
    if (!in.atEnd()) {
      throw new BoltProtocolException(type + " has bytes after its last field");
    }
    return new ClientMessage(type, fields, body, start, end, maxDepth);
  }

  public MessageType type() {
    return type;
  }

  /** The message as received (unframed), to forward it unchanged. */
  public Buffer encoded() {
    return body;
  }

  /**
   * The message's map of options: HELLO's and LOGON's only field, BEGIN's, PULL's and DISCARD's
   * extra, RUN's and ROUTE's last field.
   */
  @SuppressWarnings("unchecked")
  public Map<String, Object> extra() {
    return (Map<String, Object>) fields.get(fields.size() - 1);
  }

  /** RUN's query text. */
  public String query() {
    return (String) fields.get(0);
  }

  /** RUN's parameters, decoded on demand. */
  public QueryParameters parameters() {
    return new QueryParameters(body, parametersStart, parametersEnd, maxDepth);
  }

  /** RUN's query and parameters exactly as the client encoded them. */
  public Buffer queryAndParameters() {
    return body.slice(2, parametersEnd);
  }

  @Override
  public String toString() {
    return type.name();
  }

  private static boolean isMap(int marker) {
    return (marker & 0xF0) == 0xA0 || (marker >= 0xD8 && marker <= 0xDA);
  }

  private static List<?> list(Object value) {
    if (value instanceof List<?> list) {
      return list;
    }
    throw new BoltProtocolException("ROUTE bookmarks must be a list");
  }

  private static String hex(int tag) {
    return String.format("0x%02X", tag);
  }
}
