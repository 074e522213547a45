package io.reelflow.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.net.URI;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Replicate's predictions endpoints: create (with idempotency, slots and create faults), get and
 * cancel. Authentication and outages are checked before a request gets here.
 */
final class PredictionsApi {

  static final Set<String> EVENTS = Set.of("start", "output", "logs", "completed");

  private static final String DEFAULT_MODEL = "reelflow/simulated";

  private final ObjectMapper mapper;
  private final Responses responses;
  private final Predictions predictions;
  private final SimulatorFaults faults;
  private final int retryAfterSeconds;
  private final Consumer<HttpExchange> hold;

  PredictionsApi(
      ObjectMapper mapper,
      Responses responses,
      Predictions predictions,
      SimulatorFaults faults,
      int retryAfterSeconds,
      Consumer<HttpExchange> hold) {
    this.mapper = mapper;
    this.responses = responses;
    this.predictions = predictions;
    this.faults = faults;
    this.retryAfterSeconds = retryAfterSeconds;
    this.hold = hold;
  }

  /**
   * {@code POST /v1/predictions}, or {@code POST /v1/models/{owner}/{name}/predictions} when
   * {@code pathModel} is set.
   */
  void create(HttpExchange exchange, String pathModel) throws IOException {
    SimulatorFaults.CreateFault fault = faults.takeCreateFault();
    if (fault instanceof SimulatorFaults.Hang) {
      hold.accept(exchange);
      return;
    }
    if (fault instanceof SimulatorFaults.Refuse refuse) {
      Integer retryAfter = refuse.status() == 429 ? refuse.retryAfterSeconds() : null;
      responses.detail(exchange, refuse.status(), Responses.reason(refuse.status()), retryAfter);
      return;
    }
    JsonNode body = readObject(exchange);
    if (body == null) {
      responses.detail(exchange, 400, "Request body must be a JSON object.", null);
      return;
    }
    Optional<String> invalid = invalid(body, pathModel);
    if (invalid.isPresent()) {
      responses.detail(exchange, 422, invalid.get(), null);
      return;
    }
    String model = pathModel != null ? pathModel : body.path("model").asText(null);
    String version = body.path("version").asText(null);
    if (version != null && version.contains(":")) {
      model = version.substring(0, version.indexOf(':'));
      version = version.substring(version.indexOf(':') + 1);
    }
    String webhook = body.path("webhook").asText(null);
    Predictions.CreateRequest request = new Predictions.CreateRequest(
        model == null ? DEFAULT_MODEL : model,
        version == null ? "hidden" : version,
        body.get("input"),
        webhook == null ? null : URI.create(webhook),
        events(body.get("webhook_events_filter")),
        exchange.getRequestHeaders().getFirst("Idempotency-Key"));
    Optional<ObjectNode> created = predictions.create(request);
    if (created.isEmpty()) {
      responses.detail(exchange, 429, Responses.reason(429), retryAfterSeconds);
      return;
    }
    responses.json(exchange, 201, created.get());
  }

  /** {@code GET /v1/predictions/{id}}. */
  void get(HttpExchange exchange, String id) throws IOException {
    answer(exchange, predictions.get(id));
  }

  /** {@code POST /v1/predictions/{id}/cancel}. */
  void cancel(HttpExchange exchange, String id) throws IOException {
    answer(exchange, predictions.cancel(id));
  }

  private void answer(HttpExchange exchange, Optional<ObjectNode> prediction) throws IOException {
    if (prediction.isEmpty()) {
      responses.detail(exchange, 404, Responses.reason(404), null);
    } else {
      responses.json(exchange, 200, prediction.get());
    }
  }

  private Optional<String> invalid(JsonNode body, String pathModel) {
    if (!body.path("input").isObject()) {
      return Optional.of("- input: Input is required and must be an object");
    }
    if (pathModel == null && !body.path("version").isTextual() && !body.path("model").isTextual()) {
      return Optional.of("- version: Version or model is required");
    }
    JsonNode webhook = body.get("webhook");
    if (webhook != null && !webhook.isNull() && !httpUrl(webhook.asText())) {
      return Optional.of("- webhook: Must be an http or https URL");
    }
    JsonNode filter = body.get("webhook_events_filter");
    if (filter != null && !filter.isNull()) {
      if (!filter.isArray()) {
        return Optional.of("- webhook_events_filter: Must be an array");
      }
      for (JsonNode event : filter) {
        if (!EVENTS.contains(event.asText())) {
          return Optional.of("- webhook_events_filter: Unknown event " + event);
        }
      }
    }
    return Optional.empty();
  }

  private static Set<String> events(JsonNode filter) {
    if (filter == null || filter.isNull()) {
      return EVENTS;
    }
    Set<String> events = new LinkedHashSet<>();
    filter.forEach(event -> events.add(event.asText()));
    return Set.copyOf(events);
  }

  private static boolean httpUrl(String text) {
    try {
      URI uri = URI.create(text);
      return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
          && uri.getHost() != null;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private JsonNode readObject(HttpExchange exchange) {
    try {
      JsonNode body = mapper.readTree(exchange.getRequestBody().readAllBytes());
      return body != null && body.isObject() ? body : null;
    } catch (IOException e) {
      return null;
    }
  }
}
