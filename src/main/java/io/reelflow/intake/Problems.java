package io.reelflow.intake;

import io.reelflow.video.Json;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.stereotype.Component;

/**
 * Renders the exception that ended an API request as RFC 9457 problem details. Called by the
 * {@code api-errors} route configuration; unexpected exceptions become a generic 500 whose detail
 * names no internals.
 */
@Component("problems")
public class Problems {

  private static final Logger log = LoggerFactory.getLogger(Problems.class);

  private final Json json;

  Problems(Json json) {
    this.json = json;
  }

  /** Replaces the response with the problem document for the caught exception. */
  public void render(Exchange exchange) {
    Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
    ApiException problem = cause instanceof ApiException api ? api
        : cause instanceof PessimisticLockingFailureException ? busy(cause) : unexpected(cause);
    exchange.getMessage().removeHeaders("*", "RateLimit-.*");
    problem.headers().forEach(exchange.getMessage()::setHeader);
    exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, problem.status());
    exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/problem+json");
    exchange.getMessage().setBody(document(problem));
  }

  /** The RFC 9457 document of {@code problem}, as JSON text. */
  String document(ApiException problem) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("type", "https://reelflow.io/problems/" + problem.code().replace('_', '-'));
    body.put("title", problem.title());
    body.put("status", problem.status());
    body.put("detail", problem.getMessage());
    body.put("code", problem.code());
    if (!problem.errors().isEmpty()) {
      body.put("errors", problem.errors());
    }
    body.putAll(problem.extensions());
    return json.write(body);
  }

  /** A step whose transaction kept losing to concurrent ones (after the route's retries); it was rolled back. */
  private static ApiException busy(Throwable cause) {
    log.warn("an API request lost to concurrent transactions after its retries: {}", cause.getMessage());
    return ApiException.retryShortly("busy", "Busy", "other work held the same data through four tries; the request"
        + " did not complete and is safe to retry in a moment");
  }

  private static ApiException unexpected(Throwable cause) {
    log.error("unexpected failure answering an API request", cause);
    return new ApiException(500, "internal_error", "Internal error",
        "the request could not be completed; it is safe to retry", java.util.List.of());
  }
}
