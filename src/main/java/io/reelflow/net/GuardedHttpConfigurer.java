package io.reelflow.net;

import org.apache.camel.component.http.HttpClientConfigurer;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.core5.io.CloseMode;

/**
 * Makes a camel-http endpoint as safe as {@link GuardedHttpClient} at connection time: {@code
 * ?httpClientConfigurer=#guardedHttp} swaps the endpoint's connection pool for one that resolves
 * hosts through the address rules, checks every redirect with the {@link UrlPolicy} and turns off
 * automatic retries. Camel applies a configurer after its own settings, so these win; the
 * endpoint's connect timeout gives way to {@code reelflow.net.connect-timeout-ms}.
 *
 * <p>Camel builds the request URL from the endpoint URI and headers, not through the policy:
 * a route calling a user URL checks it with {@link UrlPolicy#check} first (for https and user
 * info); private addresses are refused here regardless. One pool is shared by all such endpoints
 * and closed with the application context.
 */
final class GuardedHttpConfigurer implements HttpClientConfigurer, AutoCloseable {

  private final UrlPolicy policy;
  private final PoolingHttpClientConnectionManager pool;

  GuardedHttpConfigurer(UrlPolicy policy) {
    this.policy = policy;
    this.pool = GuardedHttpClient.connectionManager(policy);
  }

  @Override
  public void configureHttpClient(HttpClientBuilder builder) {
    builder.setConnectionManager(pool)
        .setConnectionManagerShared(true)
        .setRedirectStrategy(new CheckedRedirects(policy))
        .disableAutomaticRetries();
  }

  @Override
  public void close() {
    pool.close(CloseMode.GRACEFUL);
  }
}
