package io.reelflow.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.IntSupplier;

/**
 * OpenAI's {@code POST /v1/audio/speech}: answers a WAV (or bare PCM) of a quiet tone lasting 60
 * ms per character of {@code input}. Refuses with 429 when more requests than there are slots are
 * in flight; a request held by {@code hangNextCreates} keeps its slot until the simulator closes.
 */
final class SpeechApi {

  private static final int MAX_INPUT = 4096;

  private final ObjectMapper mapper;
  private final Responses responses;
  private final SimulatorFaults faults;
  private final IntSupplier slots;
  private final int retryAfterSeconds;
  private final Consumer<HttpExchange> hold;
  private final AtomicInteger inFlight = new AtomicInteger();

  SpeechApi(
      ObjectMapper mapper,
      Responses responses,
      SimulatorFaults faults,
      IntSupplier slots,
      int retryAfterSeconds,
      Consumer<HttpExchange> hold) {
    this.mapper = mapper;
    this.responses = responses;
    this.faults = faults;
    this.slots = slots;
    this.retryAfterSeconds = retryAfterSeconds;
    this.hold = hold;
  }

  void speak(HttpExchange exchange) throws IOException {
    if (inFlight.incrementAndGet() > slots.getAsInt()) {
      inFlight.decrementAndGet();
      responses.openAiError(exchange, 429, "Rate limit reached for requests", "requests", null,
          "rate_limit_exceeded", retryAfterSeconds);
      return;
    }
    SimulatorFaults.CreateFault fault = faults.takeCreateFault();
    if (fault instanceof SimulatorFaults.Hang) {
      hold.accept(exchange);
      return;
    }
    try {
      if (fault instanceof SimulatorFaults.Refuse refuse) {
        int status = refuse.status();
        responses.openAiError(exchange, status, Responses.reason(status),
            status == 429 ? "requests" : "server_error", null, null,
            status == 429 ? refuse.retryAfterSeconds() : null);
        return;
      }
      answer(exchange);
    } finally {
      inFlight.decrementAndGet();
    }
  }

  private void answer(HttpExchange exchange) throws IOException {
    JsonNode body;
    try {
      body = mapper.readTree(exchange.getRequestBody().readAllBytes());
    } catch (IOException e) {
      body = null;
    }
    if (body == null || !body.isObject()) {
      invalid(exchange, "We could not parse the JSON body of your request.", null);
      return;
    }
    String input = body.path("input").asText("");
    if (!body.path("input").isTextual() || input.isBlank()) {
      invalid(exchange, "Missing required parameter: 'input'.", "input");
      return;
    }
    if (input.length() > MAX_INPUT) {
      invalid(exchange, "'input' must be at most " + MAX_INPUT + " characters.", "input");
      return;
    }
    String format = body.path("response_format").asText("wav");
    switch (format) {
      case "wav" -> responses.bytes(exchange, 200, "audio/wav", SimulatedMedia.wav(input));
      case "pcm" -> responses.bytes(exchange, 200, "audio/pcm", SimulatedMedia.pcm(input));
      default -> invalid(exchange, "The simulator speaks only 'wav' and 'pcm', not '" + format
          + "'.", "response_format");
    }
  }

  private void invalid(HttpExchange exchange, String message, String param) throws IOException {
    responses.openAiError(exchange, 400, message, "invalid_request_error", param, null, null);
  }
}
