package io.neo4jaccess.gateway.bolt;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** Writes the PackStream values {@link PackStreamReader#readValue()} produces, to a buffer. */
public final class PackStreamWriter {

  private final Buffer out;

  public PackStreamWriter(Buffer out) {
    this.out = out;
  }

  public PackStreamWriter structHeader(int fields, int tag) {
    out.appendUnsignedByte((short) (0xB0 | fields)).appendUnsignedByte((short) tag);
    return this;
  }

  /** Bytes that are already PackStream, copied as they are. */
  public PackStreamWriter raw(Buffer encoded) {
    out.appendBuffer(encoded);
    return this;
  }

  public PackStreamWriter value(Object value) {
    if (value == null) {
      out.appendUnsignedByte((short) 0xC0);
    } else if (value instanceof Boolean b) {
      out.appendUnsignedByte((short) (b ? 0xC3 : 0xC2));
    } else if (value instanceof Long || value instanceof Integer) {
      integer(((Number) value).longValue());
    } else if (value instanceof Double d) {
      out.appendUnsignedByte((short) 0xC1).appendDouble(d);
    } else if (value instanceof String s) {
      byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
      header(utf8.length, 0x80, 0xD0);
      out.appendBytes(utf8);
    } else if (value instanceof byte[] bytes) {
      header(bytes.length, -1, 0xCC);
      out.appendBytes(bytes);
    } else if (value instanceof List<?> list) {
      header(list.size(), 0x90, 0xD4);
      list.forEach(this::value);
    } else if (value instanceof Map<?, ?> map) {
      header(map.size(), 0xA0, 0xD8);
      map.forEach(
          (k, v) -> {
            value((String) k);
            value(v);
          });
    } else if (value instanceof PackStruct struct) {
      structHeader(struct.fields().size(), struct.tag());
      struct.fields().forEach(this::value);
    } else {
      throw new IllegalArgumentException("no PackStream form for " + value.getClass());
    }
    return this;
  }

  private void integer(long v) {
    if (v >= -16 && v <= 127) {
      out.appendByte((byte) v);
    } else if (v == (byte) v) {
      out.appendUnsignedByte((short) 0xC8).appendByte((byte) v);
    } else if (v == (short) v) {
      out.appendUnsignedByte((short) 0xC9).appendShort((short) v);
    } else if (v == (int) v) {
      out.appendUnsignedByte((short) 0xCA).appendInt((int) v);
    } else {
      out.appendUnsignedByte((short) 0xCB).appendLong(v);
    }
  }

  /** A size marker: tiny (below 16, when {@code tiny} is a marker) or 8-, 16- or 32-bit. */
  private void header(int size, int tiny, int base) {
    if (tiny >= 0 && size < 16) {
      out.appendUnsignedByte((short) (tiny | size));
    } else if (size <= 0xFF) {
      out.appendUnsignedByte((short) base).appendUnsignedByte((short) size);
    } else if (size <= 0xFFFF) {
      out.appendUnsignedByte((short) (base + 1)).appendUnsignedShort(size);
    } else {
      out.appendUnsignedByte((short) (base + 2)).appendInt(size);
    }
  }
}
