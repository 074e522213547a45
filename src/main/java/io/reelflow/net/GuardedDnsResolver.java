package io.reelflow.net;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.apache.hc.client5.http.DnsResolver;

/**
 * The DNS step of every connection the guarded clients open: resolves through {@link
 * AddressRules}, so the addresses a socket may connect to are exactly the ones just checked. A
 * refusal is an {@link UnknownHostException} (what HttpClient expects here) caused by the {@link
 * UnsafeUrlException}.
 */
final class GuardedDnsResolver implements DnsResolver {

  static final String FIELD = "url";

  private final AddressRules rules;

  GuardedDnsResolver(AddressRules rules) {
    this.rules = rules;
  }

  @Override
  public InetAddress[] resolve(String host) throws UnknownHostException {
    try {
      return rules.resolve(FIELD, host).toArray(InetAddress[]::new);
    } catch (UnsafeUrlException e) {
      UnknownHostException refused = new UnknownHostException(host + ": " + e.getMessage());
      refused.initCause(e);
      throw refused;
    }
  }

  /** The name itself: no reverse lookup (only Kerberos authentication asks, and none is used). */
  @Override
  public String resolveCanonicalHostname(String host) throws UnknownHostException {
    resolve(host);
    return host;
  }
}
