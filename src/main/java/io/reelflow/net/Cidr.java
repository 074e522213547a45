package io.reelflow.net;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Pattern;

/** An IPv4 or IPv6 address range such as {@code 172.16.0.0/12}; a bare address is a range of one. */
final class Cidr {

  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

  private final byte[] network;
  private final int prefix;
  private final String text;

  private Cidr(byte[] network, int prefix, String text) {
    this.network = network;
    this.prefix = prefix;
    this.text = text;
  }

  /**
   * Parses {@code address[/prefix]} without touching DNS.
   *
   * @throws IllegalArgumentException when {@code text} is not an IP literal or the prefix is out of range
   */
  static Cidr parse(String text) {
    String[] parts = text.strip().split("/", 2);
    byte[] address = literal(parts[0])
        .orElseThrow(() -> new IllegalArgumentException("not an IP address or CIDR range: " + text))
        .getAddress();
    if (address.length == 4 && parts[0].contains(":")) {
      address = mapped(address);
    }
    int prefix = parts.length == 1 ? address.length * 8 : Integer.parseInt(parts[1]);
    if (prefix < 0 || prefix > address.length * 8) {
      throw new IllegalArgumentException("prefix out of range: " + text);
    }
    return new Cidr(address, prefix, text.strip());
  }

  /** True when {@code text} is an IPv4 or IPv6 literal (optionally with a prefix). */
  static boolean isLiteral(String text) {
    return literal(text.strip().split("/", 2)[0]).isPresent();
  }

  boolean contains(InetAddress address) {
    byte[] bytes = address.getAddress();
    if (bytes.length != network.length) {
      return false;
    }
    int whole = prefix / 8;
    for (int i = 0; i < whole; i++) {
      if (bytes[i] != network[i]) {
        return false;
      }
    }
    int rest = prefix % 8;
    if (rest == 0) {
      return true;
    }
    int mask = (0xff << (8 - rest)) & 0xff;
    return (bytes[whole] & mask) == (network[whole] & mask);
  }

  @Override
  public String toString() {
    return text;
  }

  /** {@code ::ffff:a.b.c.d}, which the JDK turns into a plain IPv4 address when parsing. */
  private static byte[] mapped(byte[] ipv4) {
    byte[] bytes = new byte[16];
    bytes[10] = (byte) 0xff;
    bytes[11] = (byte) 0xff;
    System.arraycopy(ipv4, 0, bytes, 12, 4);
    return bytes;
  }

  /** An IP literal parsed by the JDK, which resolves literals without a lookup; never a host name. */
  private static Optional<InetAddress> literal(String host) {
    String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    if (!IPV4.matcher(bare).matches() && !bare.contains(":")) {
      return Optional.empty();
    }
    try {
      return Optional.of(InetAddress.getByName(bare));
    } catch (UnknownHostException e) {
      return Optional.empty();
    }
  }
}
