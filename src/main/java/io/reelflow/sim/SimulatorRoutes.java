package io.reelflow.sim;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Routes every request: counts creates, answers an outage or a bad token on {@code /v1/*} in the
 * API's own error shape, then hands the request to the predictions, speech or file endpoint.
 * Anything a handler throws becomes a 500.
 */
final class SimulatorRoutes implements HttpHandler {

  private static final Pattern PREDICTION = Pattern.compile("/v1/predictions/([a-z0-9]+)");
  private static final Pattern CANCEL = Pattern.compile("/v1/predictions/([a-z0-9]+)/cancel");
  private static final Pattern MODEL = Pattern.compile("/v1/models/([^/]+/[^/]+)/predictions");
  private static final Pattern FILE = Pattern.compile("/files/([a-z0-9]+)\\.png");
  private static final String SPEECH = "/v1/audio/speech";

  private final Responses responses;
  private final SimulatorFaults faults;
  private final String token;
  private final PredictionsApi predictions;
  private final SpeechApi speech;
  private final SimulatedMedia media;
  private final AtomicInteger createRequests = new AtomicInteger();
  private final AtomicInteger speechRequests = new AtomicInteger();

  SimulatorRoutes(
      Responses responses,
      SimulatorFaults faults,
      String token,
      PredictionsApi predictions,
      SpeechApi speech,
      SimulatedMedia media) {
    this.responses = responses;
    this.faults = faults;
    this.token = token;
    this.predictions = predictions;
    this.speech = speech;
    this.media = media;
  }

  int createRequests() {
    return createRequests.get();
  }

  int speechRequests() {
    return speechRequests.get();
  }

  @Override
  public void handle(HttpExchange exchange) {
    try {
      route(exchange);
    } catch (IOException | RuntimeException e) {
      try {
        responses.detail(exchange, 500, Responses.reason(500), null);
      } catch (IOException | RuntimeException alreadyAnswering) {
        exchange.close();
      }
    }
  }

  private void route(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    boolean post = exchange.getRequestMethod().equals("POST");
    boolean get = exchange.getRequestMethod().equals("GET");
    Matcher file = FILE.matcher(path);
    if (get && file.matches()) {
      byte[] png = media.png(file.group(1)).orElse(null);
      if (png == null) {
        responses.detail(exchange, 404, Responses.reason(404), null);
      } else {
        responses.bytes(exchange, 200, "image/png", png);
      }
      return;
    }
    boolean isSpeech = path.equals(SPEECH);
    Matcher model = MODEL.matcher(path);
    boolean create = path.equals("/v1/predictions") || model.matches();
    if (post && create) {
      createRequests.incrementAndGet();
    } else if (post && isSpeech) {
      speechRequests.incrementAndGet();
    }
    if (path.startsWith("/v1/") && refusedAtTheDoor(exchange, isSpeech)) {
      return;
    }
    Matcher prediction = PREDICTION.matcher(path);
    Matcher cancel = CANCEL.matcher(path);
    if (post && create) {
      predictions.create(exchange, model.matches() ? model.group(1) : null);
    } else if (get && prediction.matches()) {
      predictions.get(exchange, prediction.group(1));
    } else if (post && cancel.matches()) {
      predictions.cancel(exchange, cancel.group(1));
    } else if (post && isSpeech) {
      speech.speak(exchange);
    } else if (create || isSpeech || prediction.matches() || cancel.matches()) {
      responses.detail(exchange, 405, Responses.reason(405), null);
    } else {
      responses.detail(exchange, 404, Responses.reason(404), null);
    }
  }

  /** Answers an outage or a bad token; true when it did. */
  private boolean refusedAtTheDoor(HttpExchange exchange, boolean isSpeech) throws IOException {
    int status = faults.outage() ? 503 : authorized(exchange) ? 0 : 401;
    if (status == 0) {
      return false;
    }
    if (!isSpeech) {
      responses.detail(exchange, status, Responses.reason(status), null);
    } else if (status == 401) {
      responses.openAiError(exchange, 401, "Incorrect API key provided.",
          "invalid_request_error", null, "invalid_api_key", null);
    } else {
      responses.openAiError(exchange, 503, Responses.reason(503), "server_error", null, null, null);
    }
    return true;
  }

  private boolean authorized(HttpExchange exchange) {
    if (token == null) {
      return true;
    }
    String given = exchange.getRequestHeaders().getFirst("Authorization");
    if (given == null) {
      return false;
    }
    byte[] expected = ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
    return MessageDigest.isEqual(expected, given.getBytes(StandardCharsets.UTF_8));
  }
}
