package io.neo4jaccess.gateway.bolt;

import io.vertx.core.buffer.Buffer;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads PackStream values from a region of a buffer, failing closed: a size that runs past the end,
 * nesting deeper than the limit, a reserved marker, a map key that is not a string or comes twice,
 * or text that is not valid UTF-8 is a {@link BoltProtocolException}. No collection is sized from a
 * declared length before its bytes are known to be there.
 */
public final class PackStreamReader {

  private final Buffer buffer;
  private final int end;
  private final int maxDepth;
  private int position;
  private CharsetDecoder utf8;

  public PackStreamReader(Buffer buffer, int start, int end, int maxDepth) {
    this.buffer = buffer;
    this.position = start;
    this.end = end;
    this.maxDepth = maxDepth;
  }

  public int position() {
    return position;
  }

  public boolean atEnd() {
    return position == end;
  }

  /** Reads a structure marker and returns its field count; the tag byte follows. */
  public int readStructSize() {
    int marker = readUnsignedByte();
    if ((marker & 0xF0) != 0xB0) {
      throw new BoltProtocolException("a message must be a PackStream structure");
    }
    return marker & 0x0F;
  }

  public int readUnsignedByte() {
    need(1);
    return buffer.getUnsignedByte(position++);
  }

  public String readString() {
    return text(stringHeader());
  }

  /** A string's marker, read; its size in bytes. Refuses any other value. */
  private int stringHeader() {
    int size = stringSize(readUnsignedByte());
    if (size < 0) {
      throw new BoltProtocolException("expected a string");
    }
    return size;
  }

  public long readInteger() {
    int marker = readUnsignedByte();
    if (!isInteger(marker)) {
      throw new BoltProtocolException("expected an integer");
    }
    return integer(marker);
  }

  /** A map at the current position; its values are decoded the way {@link #readValue} does. */
  @SuppressWarnings("unchecked")
  public Map<String, Object> readMap() {
    need(1);
    int marker = buffer.getUnsignedByte(position);
    if ((marker & 0xF0) != 0xA0 && (marker < 0xD8 || marker > 0xDA)) {
      throw new BoltProtocolException("expected a map");
    }
    return (Map<String, Object>) readValue();
  }

  /**
   * The next value as plain Java: null, Boolean, Long, Double, String, byte[], List, Map (with
   * String keys, in wire order) or {@link PackStruct}.
   */
  public Object readValue() {
    return value(0);
  }

  /** Steps over the next value, checking its shape and limits without building it. */
  public void skipValue() {
    skip(0);
  }

  private Object value(int depth) {
    int marker = readUnsignedByte();
    if (isInteger(marker)) {
      return integer(marker);
    }
    int size;
    if ((size = stringSize(marker)) >= 0) {
      return text(size);
    }
    if ((size = listSize(marker)) >= 0) {
      List<Object> list = new ArrayList<>(Math.min(size, 16));
      for (int i = 0; i < size; i++) {
        list.add(value(deeper(depth)));
      }
      return list;
    }
    if ((size = mapSize(marker)) >= 0) {
      Map<String, Object> map = new LinkedHashMap<>();
      for (int i = 0; i < size; i++) {
        String key = readString();
        if (map.containsKey(key)) {
          throw new BoltProtocolException("a map has a key twice");
        }
        map.put(key, value(deeper(depth)));
      }
      return map;
    }
    if ((marker & 0xF0) == 0xB0) {
      int tag = readUnsignedByte();
      List<Object> fields = new ArrayList<>(marker & 0x0F);
      for (int i = 0; i < (marker & 0x0F); i++) {
        fields.add(value(deeper(depth)));
      }
      return new PackStruct(tag, fields);
    }
    return scalar(marker);
  }

  private void skip(int depth) {
    int marker = readUnsignedByte();
    if (isInteger(marker)) {
      integer(marker);
      return;
    }
    int size;
    if ((size = stringSize(marker)) >= 0 || (size = bytesSize(marker)) >= 0) {
      need(size);
      position += size;
    } else if ((size = listSize(marker)) >= 0) {
      for (int i = 0; i < size; i++) {
        skip(deeper(depth));
      }
    } else if ((size = mapSize(marker)) >= 0) {
      for (int i = 0; i < size; i++) {
        skipKey();
        skip(deeper(depth));
      }
    } else if ((marker & 0xF0) == 0xB0) {
      readUnsignedByte();
      for (int i = 0; i < (marker & 0x0F); i++) {
        skip(deeper(depth));
      }
    } else {
      scalar(marker);
    }
  }

  /**
   * Steps over a map key: a string, as in {@link #readString}, whose text is not needed (a data
   * load's parameters repeat the same keys on every row).
   */
  private void skipKey() {
    int size = stringHeader();
    need(size);
    position += size;
  }

  private Object scalar(int marker) {
    int size = bytesSize(marker);
    if (size >= 0) {
      need(size);
      byte[] bytes = buffer.getBytes(position, position + size);
      position += size;
      return bytes;
    }
    switch (marker) {
      case 0xC0:
        return null;
      case 0xC2:
        return false;
      case 0xC3:
        return true;
      case 0xC1:
        need(8);
        double d = buffer.getDouble(position);
        position += 8;
        return d;
      default:
        throw new BoltProtocolException("reserved PackStream marker");
    }
  }

  private int deeper(int depth) {
    if (depth + 1 > maxDepth) {
      throw new BoltProtocolException("values are nested deeper than " + maxDepth);
    }
    return depth + 1;
  }

  private String text(int size) {
    need(size);
    ByteBuffer bytes = buffer.getByteBuf().nioBuffer(position, size);
    position += size;
    if (utf8 == null) {
      utf8 =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT);
    }
    try {
      return utf8.decode(bytes).toString();
    } catch (CharacterCodingException e) {
      throw new BoltProtocolException("a string is not valid UTF-8");
    }
  }

  private static boolean isInteger(int marker) {
    return marker < 0x80 || marker >= 0xF0 || (marker >= 0xC8 && marker <= 0xCB);
  }

  private long integer(int marker) {
    if (marker < 0x80 || marker >= 0xF0) {
      return (byte) marker;
    }
    int width = 1 << (marker - 0xC8);
    need(width);
    long value =
        switch (width) {
          case 1 -> buffer.getByte(position);
          case 2 -> buffer.getShort(position);
          case 4 -> buffer.getInt(position);
          default -> buffer.getLong(position);
        };
    position += width;
    return value;
  }

  private int stringSize(int marker) {
    return (marker & 0xF0) == 0x80 ? marker & 0x0F : sized(marker, 0xD0);
  }

  private int listSize(int marker) {
    return (marker & 0xF0) == 0x90 ? marker & 0x0F : sized(marker, 0xD4);
  }

  private int mapSize(int marker) {
    return (marker & 0xF0) == 0xA0 ? marker & 0x0F : sized(marker, 0xD8);
  }

  private int bytesSize(int marker) {
    return sized(marker, 0xCC);
  }

  /** The 8-, 16- or 32-bit size after marker {@code base}, {@code base + 1} or {@code + 2}. */
  private int sized(int marker, int base) {
    if (marker < base || marker > base + 2) {
      return -1;
    }
    int width = 1 << (marker - base);
    need(width);
    long size =
        switch (width) {
          case 1 -> buffer.getUnsignedByte(position);
          case 2 -> buffer.getUnsignedShort(position);
          default -> buffer.getUnsignedInt(position);
        };
    position += width;
    if (size > end - position) {
      throw new BoltProtocolException("a size runs past the end of the message");
    }
    return (int) size;
  }

  private void need(int bytes) {
    if (bytes > end - position) {
      throw new BoltProtocolException("the message ends inside a value");
    }
  }
}
