package io.reelflow.net;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Outbound HTTP to user-supplied URLs ({@code reelflow.net.*}).
 *
 * @param requireHttps refuse plain {@code http://} URLs; the local profile turns this off
 * @param allowedHosts host names (exact, case-insensitive) or IP addresses and CIDR ranges
 *     ({@code 10.1.0.0/16}, {@code fd00::/8}) that may be reached although they are private
 * @param connectTimeoutMs time allowed to open a connection (and to lease one from the pool)
 * @param readTimeoutMs longest wait for the next bytes of a response
 */
@ConfigurationProperties("reelflow.net")
public record NetSettings(
    @DefaultValue("true") boolean requireHttps,
    @DefaultValue List<String> allowedHosts,
    @DefaultValue("5000") int connectTimeoutMs,
    @DefaultValue("15000") int readTimeoutMs) {

  public NetSettings {
    allowedHosts = allowedHosts == null ? List.of() : List.copyOf(allowedHosts);
    if (connectTimeoutMs <= 0 || readTimeoutMs <= 0) {
      throw new IllegalArgumentException("reelflow.net timeouts must be positive");
    }
  }

  /** The production defaults: https only, nothing private allowed. */
  public static NetSettings defaults() {
    return new NetSettings(true, List.of(), 5000, 15000);
  }
}
