package io.reelflow.net;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import org.springframework.stereotype.Component;

/**
 * Admits a user-supplied URL for outbound HTTP, or says why not. A URL passes when it is an
 * absolute {@code http}/{@code https} URL (only {@code https} when {@link
 * NetSettings#requireHttps()}), at most {@value #MAX_LENGTH} characters, with a host and without
 * user info, and every address its host resolves to may be reached (see {@link AddressRules}).
 *
 * <p>Passing is not a promise for later: DNS may answer differently when the URL is fetched. That
 * is why {@link GuardedHttpClient} applies the address rules again when it connects; check at
 * intake for a clear API error, fetch through the guarded client for safety.
 *
 * <p>Thread-safe. Each call resolves the host (the JVM caches answers for a short while).
 */
@Component
public class UrlPolicy {

  /** Longest URL admitted, in characters. */
  public static final int MAX_LENGTH = 2048;

  private final NetSettings settings;
  private final AddressRules rules;

  public UrlPolicy(NetSettings settings, HostResolver resolver) {
    this.settings = settings;
    this.rules = new AddressRules(resolver, settings.allowedHosts());
  }

  /**
   * Checks {@code url}, carried by request field {@code field}.
   *
   * @return the URL normalised: scheme and host in lower case, dot segments removed, no fragment
   * @throws UnsafeUrlException naming {@code field} and a short reason
   */
  public URI check(String field, String url) {
    if (url == null || url.isBlank()) {
      throw notHttp(field);
    }
    if (url.length() > MAX_LENGTH) {
      throw new UnsafeUrlException(field, "is longer than " + MAX_LENGTH + " characters");
    }
    URI uri = parse(field, url);
    String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw notHttp(field);
    }
    if (settings.requireHttps() && !scheme.equals("https")) {
      throw new UnsafeUrlException(field, "must use https");
    }
    if (uri.getRawUserInfo() != null) {
      throw new UnsafeUrlException(field, "has user info");
    }
    if (uri.getHost() == null || uri.getHost().isEmpty() || uri.getPort() == 0 || uri.getPort() > 65535) {
      throw notHttp(field);
    }
    rules.resolve(field, uri.getHost());
    return normalised(scheme, uri);
  }

  NetSettings settings() {
    return settings;
  }

  AddressRules rules() {
    return rules;
  }

  private static URI parse(String field, String url) {
    try {
      URI uri = new URI(url.strip());
      if (!uri.isAbsolute() || uri.isOpaque()) {
        throw notHttp(field);
      }
      return uri;
    } catch (URISyntaxException e) {
      throw notHttp(field);
    }
  }

  private static URI normalised(String scheme, URI uri) {
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    String port = uri.getPort() == -1 ? "" : ":" + uri.getPort();
    String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
    return URI.create(scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + port + path + query)
        .normalize();
  }

  private static UnsafeUrlException notHttp(String field) {
    return new UnsafeUrlException(field, "is not an absolute http(s) URL");
  }
}
