package io.reelflow.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;

/**
 * One simulated prediction. The identity fields are fixed at creation; the mutable state is
 * guarded by the owning {@link Predictions}' lock and read only through {@link #toJson}.
 */
final class Prediction {

  static final String STARTING = "starting";
  static final String PROCESSING = "processing";
  static final String SUCCEEDED = "succeeded";
  static final String FAILED = "failed";
  static final String CANCELED = "canceled";

  final String id;
  final String model;
  final String version;
  final JsonNode input;
  final URI webhook;
  final Set<String> webhookEvents;
  final Instant createdAt;
  final Duration latency;
  final List<ScheduledFuture<?>> timers = new ArrayList<>();

  String status = STARTING;
  String output;
  String error;
  String logs = "";
  Instant startedAt;
  Instant completedAt;

  Prediction(
      String id,
      String model,
      String version,
      JsonNode input,
      URI webhook,
      Set<String> webhookEvents,
      Instant createdAt,
      Duration latency) {
    this.id = id;
    this.model = model;
    this.version = version;
    this.input = input;
    this.webhook = webhook;
    this.webhookEvents = webhookEvents;
    this.createdAt = createdAt;
    this.latency = latency;
  }

  boolean terminal() {
    return status.equals(SUCCEEDED) || status.equals(FAILED) || status.equals(CANCELED);
  }

  /** Ends in {@code status} now, stopping any pending transitions. */
  void finish(String finalStatus, Instant at) {
    status = finalStatus;
    completedAt = at;
    timers.forEach(timer -> timer.cancel(false));
    timers.clear();
  }

  /** The Replicate prediction object as it stands, with URLs under {@code baseUrl}. */
  ObjectNode toJson(ObjectMapper mapper, String baseUrl) {
    ObjectNode json = mapper.createObjectNode();
    json.put("id", id);
    json.put("model", model);
    json.put("version", version);
    json.set("input", input.deepCopy());
    json.put("logs", logs);
    json.put("output", output);
    json.put("data_removed", false);
    json.put("error", error);
    json.put("source", "api");
    json.put("status", status);
    json.put("created_at", createdAt.toString());
    json.put("started_at", startedAt == null ? null : startedAt.toString());
    json.put("completed_at", completedAt == null ? null : completedAt.toString());
    ObjectNode urls = json.putObject("urls");
    urls.put("get", baseUrl + "/v1/predictions/" + id);
    urls.put("cancel", baseUrl + "/v1/predictions/" + id + "/cancel");
    ObjectNode metrics = json.putObject("metrics");
    if (startedAt != null && completedAt != null) {
      metrics.put("predict_time", Duration.between(startedAt, completedAt).toNanos() / 1e9);
    }
    return json;
  }
}
