package io.reelflow.net;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HashMap;
import java.util.Map;

/**
 * DNS for tests: names answer what the test says; IP literals answer themselves; anything else
 * does not resolve.
 */
final class FakeDns implements HostResolver {

  private final Map<String, InetAddress[]> answers = new HashMap<>();

  /** A name and its addresses (IP literals). */
  FakeDns with(String name, String... addresses) {
    InetAddress[] resolved = new InetAddress[addresses.length];
    for (int i = 0; i < addresses.length; i++) {
      resolved[i] = literal(addresses[i]);
    }
    answers.put(name, resolved);
    return this;
  }

  /** A name answering one address given as raw bytes (an IPv6 answer the JDK would not build). */
  FakeDns with(String name, InetAddress address) {
    answers.put(name, new InetAddress[] {address});
    return this;
  }

  @Override
  public InetAddress[] resolve(String host) throws UnknownHostException {
    InetAddress[] answer = answers.get(host);
    if (answer != null) {
      return answer.clone();
    }
    if (Cidr.isLiteral(host)) {
      return new InetAddress[] {literal(host)};
    }
    throw new UnknownHostException(host);
  }

  /**
   * Answers like a rebinding attacker: {@code checked} to every policy check, {@code connected}
   * when a connection resolves the name.
   */
  static HostResolver rebinding(String name, String checked, String connected) {
    return host -> {
      if (!host.equals(name)) {
        throw new UnknownHostException(host);
      }
      boolean connecting = StackWalker.getInstance()
          .walk(frames -> frames.anyMatch(f -> f.getClassName().equals(GuardedDnsResolver.class.getName())));
      return new InetAddress[] {literal(connecting ? connected : checked)};
    };
  }

  static InetAddress literal(String address) {
    try {
      return InetAddress.getByName(address.replace("[", "").replace("]", ""));
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(address, e);
    }
  }
}
