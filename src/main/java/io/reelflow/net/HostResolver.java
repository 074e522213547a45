package io.reelflow.net;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Turns a host name into addresses. The seam that lets tests play DNS (a name that resolves to a
 * private address, or answers differently the second time) without a DNS server.
 */
@FunctionalInterface
public interface HostResolver {

  /**
   * Every address of {@code host}; an IP literal resolves to itself without a lookup. Called on
   * request threads, so implementations must be thread-safe.
   *
   * @throws UnknownHostException when the name does not resolve
   */
  InetAddress[] resolve(String host) throws UnknownHostException;

  /** The JVM's resolver ({@link InetAddress#getAllByName}), with its usual caching. */
  static HostResolver system() {
    return InetAddress::getAllByName;
  }
}
