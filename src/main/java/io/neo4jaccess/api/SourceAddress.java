package io.neo4jaccess.api;

import io.netty.util.NetUtil;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * The address a request comes from, as the rate limits count it: the connection's peer or, when the
 * peer is a configured proxy, the nearest address in {@code X-Forwarded-For} that is not one. Each
 * proxy appends the address it got the request from, so the right-most entries are those the
 * trusted proxies wrote; whatever lies left of the first untrusted one was written by the client
 * and is never believed. An IPv6 address counts by its /64, the block one host usually holds.
 * Addresses are parsed as literals only, never looked up.
 */
final class SourceAddress {

  private final List<Cidr> trusted;

  /**
   * @param trustedProxies addresses or CIDR ranges, e.g. {@code 10.0.0.0/8}, {@code ::1}
   * @throws IllegalArgumentException naming an entry that is neither
   */
  SourceAddress(List<String> trustedProxies) {
    List<Cidr> cidrs = new ArrayList<>();
    for (String entry : trustedProxies) {
      cidrs.add(Cidr.parse(entry.strip()));
    }
    this.trusted = List.copyOf(cidrs);
  }

  /**
   * @param peer the connection's remote address
   * @param forwardedFor every {@code X-Forwarded-For} value, comma-joined, or null
   */
  String of(String peer, String forwardedFor) {
    byte[] client = literal(peer);
    if (client == null) {
      return peer;
    }
    if (forwardedFor != null && isTrusted(client)) {
      String[] hops = forwardedFor.split(",");
      for (int i = hops.length - 1; i >= 0; i--) {
        byte[] hop = literal(withoutPort(hops[i].strip()));
        if (hop == null) {
          break; // not an address: the last one a trusted proxy vouched for stands
        }
        client = hop;
        if (!isTrusted(hop)) {
          break;
        }
      }
    }
    return key(client);
  }

  private boolean isTrusted(byte[] address) {
    return trusted.stream().anyMatch(c -> c.contains(address));
  }

  /** The address's bytes (4 for IPv4, IPv4-mapped IPv6 included; 16 for IPv6), or null. */
  private static byte[] literal(String s) {
    byte[] b = s == null ? null : NetUtil.createByteArrayFromIpAddressString(s);
    if (b != null && b.length == 16 && isIpv4Mapped(b)) {
      return Arrays.copyOfRange(b, 12, 16);
    }
    return b;
  }

  private static boolean isIpv4Mapped(byte[] b) {
    for (int i = 0; i < 10; i++) {
      if (b[i] != 0) {
        return false;
      }
    }
    return b[10] == (byte) 0xff && b[11] == (byte) 0xff;
  }

  /** {@code [2001:db8::1]:443} and {@code 192.0.2.1:443}, as some proxies write them. */
  private static String withoutPort(String hop) {
    if (hop.startsWith("[")) {
      int end = hop.indexOf(']');
      return end < 0 ? hop : hop.substring(1, end);
    }
    int colon = hop.indexOf(':');
    return colon > 0 && colon == hop.lastIndexOf(':') ? hop.substring(0, colon) : hop;
  }

  private static String key(byte[] address) {
    if (address.length == 4) {
      return NetUtil.bytesToIpAddress(address);
    }
    return HexFormat.of().formatHex(address, 0, 8) + "::/64";
  }

  /** An address range: the first {@code bits} bits of {@code network}. */
  private record Cidr(byte[] network, int bits) {

    static Cidr parse(String entry) {
      int slash = entry.indexOf('/');
      byte[] network = literal(slash < 0 ? entry : entry.substring(0, slash));
      if (network == null) {
        throw new IllegalArgumentException("'" + entry + "' is not an address or CIDR range");
      }
      int max = network.length * 8;
      int bits;
      try {
        bits = slash < 0 ? max : Integer.parseInt(entry.substring(slash + 1));
      } catch (NumberFormatException e) {
        bits = -1;
      }
      if (bits < 0 || bits > max) {
        throw new IllegalArgumentException("'" + entry + "' has no valid prefix length");
      }
      return new Cidr(network, bits);
    }

    boolean contains(byte[] address) {
      if (address.length != network.length) {
        return false;
      }
      for (int i = 0; i < bits; i++) {
        int mask = 0x80 >>> (i % 8);
        if ((address[i / 8] & mask) != (network[i / 8] & mask)) {
          return false;
        }
      }
      return true;
    }
  }
}
