package io.reelflow.net;

import java.net.URI;
import org.apache.hc.client5.http.impl.DefaultRedirectStrategy;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.ProtocolException;
import org.apache.hc.core5.http.protocol.HttpContext;

/**
 * Follows a redirect only to a URL the {@link UrlPolicy} admits, so a public URL cannot bounce
 * the client to {@code http://169.254.169.254/} or downgrade to plain http. How many redirects
 * are followed is the request configuration's {@code maxRedirects}.
 */
final class CheckedRedirects extends DefaultRedirectStrategy {

  private final UrlPolicy policy;

  CheckedRedirects(UrlPolicy policy) {
    this.policy = policy;
  }

  @Override
  public URI getLocationURI(HttpRequest request, HttpResponse response, HttpContext context)
      throws HttpException {
    URI location = super.getLocationURI(request, response, context);
    try {
      return policy.check("redirect", location.toString());
    } catch (UnsafeUrlException e) {
      throw new ProtocolException("refused redirect: " + e.getMessage(), e);
    }
  }
}
