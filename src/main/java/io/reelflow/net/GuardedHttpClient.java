package io.reelflow.net;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.CloseableHttpResponse;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.util.Timeout;

/**
 * The HTTP client for user-supplied URLs. Every request must pass the {@link UrlPolicy}; every
 * connection resolves its host through the same address rules, so DNS rebinding between the
 * check and the connect cannot reach a private address; a redirect (at most {@value
 * #MAX_REDIRECTS}) is followed only to a URL the policy admits. Timeouts come from {@link
 * NetSettings}; there are no automatic retries, cookies, proxies or content decompression.
 *
 * <p>A refusal surfaces as an {@link UnsafeUrlException}, whichever step refused. Thread-safe;
 * one instance (a Spring bean) serves the application and owns its connection pool.
 */
public class GuardedHttpClient extends CloseableHttpClient {

  /** Redirects followed for one request, each re-checked by the policy. */
  public static final int MAX_REDIRECTS = 3;

  private final UrlPolicy policy;
  private final CloseableHttpClient delegate;

  public GuardedHttpClient(UrlPolicy policy) {
    this.policy = policy;
    this.delegate = HttpClients.custom()
        .setConnectionManager(connectionManager(policy))
        .setDefaultRequestConfig(requestConfig(policy.settings()))
        .setRedirectStrategy(new CheckedRedirects(policy))
        .disableAutomaticRetries()
        .disableCookieManagement()
        .disableContentCompression()
        .disableAuthCaching()
        .setUserAgent("Reelflow")
        .build();
  }

  @Override
  protected CloseableHttpResponse doExecute(HttpHost target, ClassicHttpRequest request, HttpContext context)
      throws IOException {
    policy.check(GuardedDnsResolver.FIELD, url(target, request));
    if (target != null && target.getAddress() != null) {
      policy.rules().check(GuardedDnsResolver.FIELD, target.getHostName(), target.getAddress());
    }
    try {
      return (CloseableHttpResponse) delegate.executeOpen(target, request, context);
    } catch (IOException e) {
      UnsafeUrlException refusal = refusalBehind(e);
      if (refusal != null) {
        throw refusal;
      }
      throw e;
    }
  }

  @Override
  public void close(CloseMode closeMode) {
    delegate.close(closeMode);
  }

  @Override
  public void close() throws IOException {
    delegate.close();
  }

  /** A pool whose connections resolve hosts through the policy's address rules. */
  static PoolingHttpClientConnectionManager connectionManager(UrlPolicy policy) {
    NetSettings settings = policy.settings();
    return PoolingHttpClientConnectionManagerBuilder.create()
        .setDnsResolver(new GuardedDnsResolver(policy.rules()))
        .setDefaultConnectionConfig(ConnectionConfig.custom()
            .setConnectTimeout(Timeout.ofMilliseconds(settings.connectTimeoutMs()))
            .setSocketTimeout(Timeout.ofMilliseconds(settings.readTimeoutMs()))
            .build())
        .setMaxConnTotal(50)
        .setMaxConnPerRoute(5)
        .build();
  }

  static RequestConfig requestConfig(NetSettings settings) {
    return RequestConfig.custom()
        .setConnectionRequestTimeout(Timeout.ofMilliseconds(settings.connectTimeoutMs()))
        .setResponseTimeout(Timeout.ofMilliseconds(settings.readTimeoutMs()))
        .setRedirectsEnabled(true)
        .setMaxRedirects(MAX_REDIRECTS)
        .build();
  }

  /** The refusal behind a failure of HttpClient, or null when no guard refused. */
  static UnsafeUrlException refusalBehind(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof UnsafeUrlException refusal) {
        return refusal;
      }
    }
    return null;
  }

  private static String url(HttpHost target, ClassicHttpRequest request) {
    try {
      URI uri = request.getUri();
      return uri.isAbsolute() || target == null ? uri.toString() : target.toURI() + request.getRequestUri();
    } catch (URISyntaxException e) {
      throw new UnsafeUrlException(GuardedDnsResolver.FIELD, "is not an absolute http(s) URL");
    }
  }
}
