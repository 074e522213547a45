package io.reelflow.net;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Which addresses outbound HTTP may reach: none that is loopback, unspecified, link-local (cloud
 * metadata at 169.254.169.254), private, carrier-grade NAT, unique-local, multicast or reserved,
 * whether written as IPv4, as IPv6, or as IPv4 inside IPv6 (mapped, compatible, NAT64, 6to4);
 * nor the metadata host names. Entries of {@link NetSettings#allowedHosts()} are exempt.
 * Immutable and thread-safe; used both when a URL is admitted and when a connection is opened.
 */
final class AddressRules {

  static final Set<String> METADATA_HOSTS = Set.of("metadata.google.internal", "metadata");

  private static final List<Cidr> BLOCKED = Stream.of(
          "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16",
          "172.16.0.0/12", "192.0.0.0/24", "192.168.0.0/16", "198.18.0.0/15", "224.0.0.0/4",
          "240.0.0.0/4",
          "::/128", "::1/128", "fe80::/10", "fec0::/10", "fc00::/7", "ff00::/8")
      .map(Cidr::parse)
      .toList();
  private static final Cidr IPV4_MAPPED = Cidr.parse("::ffff:0:0/96");
  private static final Cidr IPV4_COMPATIBLE = Cidr.parse("::/96");
  private static final Cidr NAT64 = Cidr.parse("64:ff9b::/96");
  private static final Cidr SIX_TO_FOUR = Cidr.parse("2002::/16");

  private final HostResolver resolver;
  private final Set<String> allowedNames;
  private final List<Cidr> allowedRanges;

  AddressRules(HostResolver resolver, List<String> allowedHosts) {
    this.resolver = resolver;
    List<String> names = new ArrayList<>();
    List<Cidr> ranges = new ArrayList<>();
    for (String entry : allowedHosts) {
      if (Cidr.isLiteral(entry)) {
        ranges.add(Cidr.parse(entry));
      } else if (!entry.isBlank()) {
        names.add(normalise(entry));
      }
    }
    this.allowedNames = Set.copyOf(names);
    this.allowedRanges = List.copyOf(ranges);
  }

  /**
   * Resolves {@code host} and returns its addresses only if every one of them may be reached.
   *
   * @throws UnsafeUrlException naming {@code field} when the host is a metadata name, does not
   *     resolve, or any address is private
   */
  List<InetAddress> resolve(String field, String host) {
    String name = normalise(host);
    boolean allowedName = allowedNames.contains(name);
    if (!allowedName && METADATA_HOSTS.contains(name)) {
      throw new UnsafeUrlException(field, "is a cloud metadata address");
    }
    InetAddress[] addresses;
    try {
      addresses = resolver.resolve(name);
    } catch (UnknownHostException e) {
      throw new UnsafeUrlException(field, "does not resolve", true);
    }
    if (addresses == null || addresses.length == 0) {
      throw new UnsafeUrlException(field, "does not resolve", true);
    }
    if (!allowedName) {
      Arrays.stream(addresses).forEach(a -> check(field, a));
    }
    return List.of(addresses);
  }

  /** Refuses a single already-known address (a connection target given as an address). */
  void check(String field, String host, InetAddress address) {
    if (host == null || !allowedNames.contains(normalise(host))) {
      check(field, address);
    }
  }

  private void check(String field, InetAddress address) {
    if (blocked(address) && allowedRanges.stream().noneMatch(r -> r.contains(address))) {
      throw new UnsafeUrlException(field, "resolves to a private address");
    }
  }

  /** True for an address no user URL may reach, unless allow-listed. */
  static boolean blocked(InetAddress address) {
    if (BLOCKED.stream().anyMatch(r -> r.contains(address))) {
      return true;
    }
    byte[] b = address.getAddress();
    if (IPV4_MAPPED.contains(address) || IPV4_COMPATIBLE.contains(address) || NAT64.contains(address)) {
      return blocked(ipv4(b, 12));
    }
    if (SIX_TO_FOUR.contains(address)) {
      return blocked(ipv4(b, 2));
    }
    return false;
  }

  /** Lower case, without IPv6 brackets or the trailing dot of a fully qualified name. */
  static String normalise(String host) {
    String h = host.strip().toLowerCase(Locale.ROOT);
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
  }

  private static InetAddress ipv4(byte[] bytes, int from) {
    try {
      return Inet4Address.getByAddress(Arrays.copyOfRange(bytes, from, from + 4));
    } catch (UnknownHostException e) {
      throw new IllegalStateException("four bytes are always an IPv4 address", e);
    }
  }
}
