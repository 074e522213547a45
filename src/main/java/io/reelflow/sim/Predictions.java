package io.reelflow.sim;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The predictions the simulator holds and their lifecycle: {@code starting}, then {@code
 * processing} after a tenth of the prediction's latency, then {@code succeeded} or {@code failed}
 * when it has elapsed, or {@code canceled} on request. Transitions run on a shared scheduler, never
 * on a sleeping thread. One lock guards all state, so slot accounting and idempotency are exact.
 */
final class Predictions {

  static final String REFUSAL_ERROR =
      "content_policy_violation: the prompt was flagged by the safety checker";

  private static final String ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
  private static final int ID_LENGTH = 26;

  /** A validated create request. */
  record CreateRequest(
      String model,
      String version,
      JsonNode input,
      URI webhook,
      Set<String> webhookEvents,
      String idempotencyKey) {}

  private final ObjectMapper mapper;
  private final String baseUrl;
  private final Latencies latencies;
  private final SimulatorFaults faults;
  private final WebhookDispatcher webhooks;
  private final SimulatedMedia media;
  private final ScheduledExecutorService timers;
  private final SecureRandom ids = new SecureRandom();
  private final Map<String, Prediction> byId = new HashMap<>();
  private final Map<String, String> idByKey = new HashMap<>();
  private final Map<String, Integer> generationsByKey = new HashMap<>();
  private int slots;
  private int running;
  private int peakRunning;
  private int totalGenerations;

  Predictions(
      ObjectMapper mapper,
      String baseUrl,
      int slots,
      Latencies latencies,
      SimulatorFaults faults,
      WebhookDispatcher webhooks,
      SimulatedMedia media,
      ScheduledExecutorService timers) {
    this.mapper = mapper;
    this.baseUrl = baseUrl;
    this.slots = slots;
    this.latencies = latencies;
    this.faults = faults;
    this.webhooks = webhooks;
    this.media = media;
    this.timers = timers;
  }

  /**
   * Starts a prediction, or returns the one already started under the same idempotency key.
   *
   * @return the prediction JSON, or empty when every slot is taken
   */
  synchronized Optional<ObjectNode> create(CreateRequest request) {
    String key = request.idempotencyKey();
    if (key != null && idByKey.containsKey(key)) {
      return Optional.of(json(byId.get(idByKey.get(key))));
    }
    if (running >= slots) {
      return Optional.empty();
    }
    Duration latency = latencies.next();
    Prediction prediction = new Prediction(newId(), request.model(), request.version(),
        request.input(), request.webhook(), request.webhookEvents(), Instant.now(), latency);
    byId.put(prediction.id, prediction);
    if (key != null) {
      idByKey.put(key, prediction.id);
      generationsByKey.merge(key, 1, Integer::sum);
    }
    totalGenerations++;
    running++;
    peakRunning = Math.max(peakRunning, running);
    String prompt = request.input().path("prompt").asText("");
    boolean refused = faults.refuses(prompt);
    String error = refused ? REFUSAL_ERROR : faults.takePredictionError();
    Duration end = refused ? latency.dividedBy(5) : latency;
    schedule(prediction, latency.dividedBy(10), () -> process(prediction));
    schedule(prediction, end, () -> end(prediction, error));
    webhooks.send(prediction, WebhookDispatcher.START, bytes(prediction));
    return Optional.of(json(prediction));
  }

  synchronized Optional<ObjectNode> get(String id) {
    return Optional.ofNullable(byId.get(id)).map(this::json);
  }

  /** Cancels a prediction still running; a finished one is returned unchanged. */
  synchronized Optional<ObjectNode> cancel(String id) {
    Prediction prediction = byId.get(id);
    if (prediction == null) {
      return Optional.empty();
    }
    if (!prediction.terminal()) {
      prediction.finish(Prediction.CANCELED, Instant.now());
      release(prediction);
    }
    return Optional.of(json(prediction));
  }

  synchronized void slots(int slots) {
    if (slots < 0) {
      throw new IllegalArgumentException("slots must not be negative");
    }
    this.slots = slots;
  }

  synchronized int slots() {
    return slots;
  }

  synchronized int generations(String idempotencyKey) {
    return generationsByKey.getOrDefault(idempotencyKey, 0);
  }

  synchronized int totalGenerations() {
    return totalGenerations;
  }

  synchronized int running() {
    return running;
  }

  synchronized int peakRunning() {
    return peakRunning;
  }

  synchronized void resetPeak() {
    peakRunning = running;
  }

  private synchronized void process(Prediction prediction) {
    if (prediction.status.equals(Prediction.STARTING)) {
      prediction.status = Prediction.PROCESSING;
      prediction.startedAt = Instant.now();
      prediction.logs = "Using seed: " + Math.abs(prediction.id.hashCode()) + "\n";
    }
  }

  private synchronized void end(Prediction prediction, String error) {
    if (prediction.terminal()) {
      return;
    }
    Instant now = Instant.now();
    if (prediction.startedAt == null) {
      prediction.startedAt = now;
    }
    if (error == null) {
      JsonNode input = prediction.input;
      media.addImage(prediction.id, SimulatedMedia.imageSize(input),
          input.path("prompt").asText(""));
      prediction.output = baseUrl + "/files/" + prediction.id + ".png";
      prediction.logs += "100%|##########| 28/28\n";
      prediction.finish(Prediction.SUCCEEDED, now);
    } else {
      prediction.error = error;
      prediction.finish(Prediction.FAILED, now);
    }
    release(prediction);
  }

  private void release(Prediction prediction) {
    running--;
    webhooks.send(prediction, WebhookDispatcher.COMPLETED, bytes(prediction));
  }

  private void schedule(Prediction prediction, Duration delay, Runnable step) {
    prediction.timers.add(timers.schedule(step, delay.toNanos(), TimeUnit.NANOSECONDS));
  }

  private ObjectNode json(Prediction prediction) {
    return prediction.toJson(mapper, baseUrl);
  }

  private byte[] bytes(Prediction prediction) {
    try {
      return mapper.writeValueAsBytes(json(prediction));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise a prediction", e);
    }
  }

  private String newId() {
    StringBuilder id = new StringBuilder(ID_LENGTH);
    for (int i = 0; i < ID_LENGTH; i++) {
      id.append(ID_ALPHABET.charAt(ids.nextInt(ID_ALPHABET.length())));
    }
    return id.toString();
  }
}
