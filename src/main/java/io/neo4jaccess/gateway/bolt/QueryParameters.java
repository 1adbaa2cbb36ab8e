package io.neo4jaccess.gateway.bolt;

import io.vertx.core.buffer.Buffer;
import java.util.Map;

/**
 * A RUN's parameters, kept as the bytes the client sent: most statement guards need only the query
 * text, so values are decoded only when {@link #values()} is called, and then once.
 */
public final class QueryParameters {

  private final Buffer body;
  private final int start;
  private final int end;
  private final int maxDepth;
  private Map<String, Object> values;

  QueryParameters(Buffer body, int start, int end, int maxDepth) {
    this.body = body;
    this.start = start;
    this.end = end;
    this.maxDepth = maxDepth;
  }

  /** Size of the encoded parameters in bytes, without decoding them. */
  public int encodedSize() {
    return end - start;
  }

  /**
   * The parameters as plain Java values (see {@link PackStreamReader#readValue()}).
   *
   * @throws BoltProtocolException when they are malformed (a key twice, text that is not UTF-8): a
   *     guard must treat that as a refusal
   */
  public Map<String, Object> values() {
    if (values == null) {
      values = new PackStreamReader(body, start, end, maxDepth).readMap();
    }
    return values;
  }

  @Override
  public String toString() {
    return "QueryParameters[" + encodedSize() + " bytes]";
  }
}
