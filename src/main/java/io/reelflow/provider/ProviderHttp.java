package io.reelflow.provider;

import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.springframework.stereotype.Component;

/**
 * HTTP for the remote adapters, through camel-http: one endpoint per timeout, the target URL and
 * method in headers, answers of every status returned rather than thrown, and transport failures
 * (refused, reset, timed out) turned into retryable {@link ProviderException}s.
 */
@Component
public class ProviderHttp {

  /** An HTTP answer. */
  public record Reply(int status, Map<String, Object> headers, byte[] body) {

    /** A response header, or null. */
    public String header(String name) {
      for (Map.Entry<String, Object> entry : headers.entrySet()) {
        if (entry.getKey().equalsIgnoreCase(name) && entry.getValue() != null) {
          return entry.getValue().toString();
        }
      }
      return null;
    }
  }

  private final ProducerTemplate template;

  public ProviderHttp(ProducerTemplate template) {
    this.template = template;
  }

  /**
   * Sends one request; thread-safe.
   *
   * @throws ProviderException (retryable) when no answer arrived
   */
  public Reply send(String method, String url, Map<String, String> headers, byte[] body, Duration timeout) {
    long ms = Math.max(1, timeout.toMillis());
    String endpoint = "http://provider?throwExceptionOnFailure=false&httpClient.connectTimeout=" + ms
        + "&httpClient.responseTimeout=" + ms;
    Exchange exchange =
        template.request(endpoint, e -> {
          e.getMessage().setHeader(Exchange.HTTP_URI, url);
          e.getMessage().setHeader(Exchange.HTTP_METHOD, method);
          headers.forEach(e.getMessage()::setHeader);
          e.getMessage().setBody(body);
        });
    Exception failure = exchange.getException();
    if (failure != null) {
      boolean timedOut = failure instanceof SocketTimeoutException || failure.getCause() instanceof SocketTimeoutException;
      throw new ProviderException(ProviderException.Kind.RETRYABLE, timedOut ? "provider_timeout" : "provider_unreachable",
          "no answer from " + hostOf(url) + ": " + failure.getMessage(), failure);
    }
    Integer status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
    byte[] bytes = exchange.getMessage().getBody(byte[].class);
    return new Reply(status == null ? 0 : status, exchange.getMessage().getHeaders(), bytes == null ? new byte[0] : bytes);
  }

  /** JSON request headers, with {@code Authorization: Bearer <apiKey>} unless the key is blank. */
  public static Map<String, String> jsonHeaders(String apiKey) {
    Map<String, String> headers = new java.util.LinkedHashMap<>();
    if (apiKey != null && !apiKey.isBlank()) {
      headers.put("Authorization", "Bearer " + apiKey);
    }
    headers.put("Content-Type", "application/json");
    headers.put("Accept", "application/json");
    return headers;
  }

  /** Scheme, host and port of {@code url}, for messages that must not carry paths or keys. */
  static String hostOf(String url) {
    try {
      java.net.URI uri = java.net.URI.create(url);
      return uri.getScheme() + "://" + uri.getAuthority();
    } catch (IllegalArgumentException e) {
      return "provider";
    }
  }

  /** The delay a 429 or 503 asked for ({@code Retry-After} in seconds), or null. */
  public static Duration retryAfter(Reply reply) {
    String value = reply.header("Retry-After");
    if (value == null) {
      return null;
    }
    try {
      return Duration.ofSeconds(Math.max(0, Long.parseLong(value.trim())));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** Classifies a non-2xx answer the way every adapter does; {@code what} names the call. */
  public static ProviderException failure(Reply reply, String provider, String what) {
    int status = reply.status();
    String message = provider + " " + what + " answered " + status;
    if (status == 429) {
      return ProviderException.retryable("rate_limited", message, retryAfter(reply));
    }
    if (status >= 500 || status == 408) {
      return ProviderException.retryable("provider_unavailable", message, retryAfter(reply));
    }
    if (status == 401 || status == 403) {
      return ProviderException.permanent("provider_auth_failed", message);
    }
    return ProviderException.permanent("provider_rejected", message);
  }
}
