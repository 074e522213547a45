package io.reelflow.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes one complete answer to an exchange and closes it: JSON, raw bytes, or an error in the
 * shape of the API being spoken ({@code {"detail","status"}} for Replicate, {@code {"error":{…}}}
 * for OpenAI).
 */
final class Responses {

  private final ObjectMapper mapper;

  Responses(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  void json(HttpExchange exchange, int status, JsonNode body) throws IOException {
    bytes(exchange, status, "application/json", mapper.writeValueAsBytes(body));
  }

  /** Replicate's error body; adds {@code Retry-After} when {@code retryAfterSeconds} is set. */
  void detail(HttpExchange exchange, int status, String detail, Integer retryAfterSeconds)
      throws IOException {
    retryAfter(exchange, retryAfterSeconds);
    ObjectNode body = mapper.createObjectNode();
    body.put("detail", detail);
    body.put("status", status);
    json(exchange, status, body);
  }

  /** OpenAI's error body; adds {@code Retry-After} when {@code retryAfterSeconds} is set. */
  void openAiError(
      HttpExchange exchange,
      int status,
      String message,
      String type,
      String param,
      String code,
      Integer retryAfterSeconds)
      throws IOException {
    retryAfter(exchange, retryAfterSeconds);
    ObjectNode body = mapper.createObjectNode();
    ObjectNode error = body.putObject("error");
    error.put("message", message);
    error.put("type", type);
    error.put("param", param);
    error.put("code", code);
    json(exchange, status, body);
  }

  void bytes(HttpExchange exchange, int status, String contentType, byte[] body)
      throws IOException {
    try (exchange) {
      exchange.getResponseHeaders().set("Content-Type", contentType);
      exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
      if (body.length > 0) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(body);
        }
      }
    }
  }

  /** The reason phrase used as the error text for a bare status. */
  static String reason(int status) {
    return switch (status) {
      case 400 -> "Bad Request";
      case 401 -> "Unauthenticated";
      case 404 -> "Not found.";
      case 405 -> "Method not allowed.";
      case 429 -> "Request was throttled.";
      case 500 -> "Internal Server Error";
      case 502 -> "Bad Gateway";
      case 503 -> "Service Unavailable";
      case 504 -> "Gateway Timeout";
      default -> "Error " + status;
    };
  }

  private static void retryAfter(HttpExchange exchange, Integer seconds) {
    if (seconds != null) {
      exchange.getResponseHeaders().set("Retry-After", Integer.toString(seconds));
    }
  }
}
