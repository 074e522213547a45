package io.reelflow.sim;

import io.reelflow.webhooks.WebhookSigner;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sends Replicate-style webhooks signed the Standard Webhooks way, asynchronously, retrying a
 * delivery that fails or gets no 2xx up to four attempts with doubling back-off. One prediction's
 * events go out one after another, in order. Every attempt and duplicate of one event carries the
 * same {@code webhook-id}. Applies the configured faults, drawn
 * from a seeded random: lost, duplicated, delayed, and {@code start} held back until {@code
 * completed} has been sent. Thread-safe.
 */
final class WebhookDispatcher {

  static final String START = "start";
  static final String COMPLETED = "completed";

  private static final int MAX_ATTEMPTS = 4;
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

  private record Delivery(URI target, String msgId, byte[] body) {}

  private record Plan(Delivery delivery, boolean lost, boolean duplicated) {}

  private final WebhookSigner signer;
  private final HttpClient client;
  private final ScheduledExecutorService timers;
  private final Random random;
  private final double lost;
  private final double duplicated;
  private final double outOfOrder;
  private final Duration delay;
  private final Duration backoff;
  private final Map<String, Plan> heldStarts = new ConcurrentHashMap<>();
  private final Map<String, CompletableFuture<Void>> inFlight = new ConcurrentHashMap<>();
  private final AtomicInteger attempts = new AtomicInteger();

  WebhookDispatcher(
      SimulatorSettings settings,
      WebhookSigner signer,
      HttpClient client,
      ScheduledExecutorService timers,
      Latencies latencies) {
    this.signer = signer;
    this.client = client;
    this.timers = timers;
    this.random = new Random(settings.seed() + 1);
    this.lost = settings.webhookLost();
    this.duplicated = settings.webhookDuplicated();
    this.outOfOrder = settings.webhookOutOfOrder();
    this.delay = settings.webhookDelay();
    this.backoff = latencies.scale(Duration.ofSeconds(1));
  }

  /**
   * Sends {@code event} for {@code prediction} with {@code body}, when the prediction has a webhook
   * and its filter asks for that event; returns at once.
   */
  void send(Prediction prediction, String event, byte[] body) {
    if (prediction.webhook == null || !prediction.webhookEvents.contains(event)) {
      return;
    }
    String msgId = "msg_" + prediction.id + "_" + event;
    boolean isLost;
    boolean isDuplicated;
    boolean isLate;
    synchronized (random) {
      isLost = random.nextDouble() < lost;
      isDuplicated = random.nextDouble() < duplicated;
      isLate = random.nextDouble() < outOfOrder;
    }
    Plan plan = new Plan(new Delivery(prediction.webhook, msgId, body), isLost, isDuplicated);
    if (event.equals(START) && isLate && prediction.webhookEvents.contains(COMPLETED)) {
      heldStarts.put(prediction.id, plan);
      return;
    }
    CompletableFuture<Void> previous = inFlight.getOrDefault(prediction.id, DONE);
    CompletableFuture<Void> sent =
        previous.handle((done, error) -> plan).thenCompose(this::execute);
    if (event.equals(COMPLETED)) {
      inFlight.remove(prediction.id);
      Plan held = heldStarts.remove(prediction.id);
      if (held != null) {
        sent.whenComplete((done, error) -> execute(held));
      }
    } else if (prediction.webhookEvents.contains(COMPLETED)) {
      inFlight.put(prediction.id, sent);
    }
  }

  /** HTTP attempts made so far, retries and duplicates included. */
  int attempts() {
    return attempts.get();
  }

  private CompletableFuture<Void> execute(Plan plan) {
    if (plan.lost()) {
      return CompletableFuture.completedFuture(null);
    }
    CompletableFuture<Void> first = after(delay).thenCompose(ready -> attempt(plan.delivery(), 1));
    if (!plan.duplicated()) {
      return first;
    }
    return first.thenCompose(done -> attempt(plan.delivery(), 1));
  }

  private CompletableFuture<Void> attempt(Delivery delivery, int attempt) {
    HttpRequest.Builder request = HttpRequest.newBuilder(delivery.target())
        .timeout(TIMEOUT)
        .header("Content-Type", "application/json")
        .header("User-Agent", "reelflow-provider-sim")
        .POST(HttpRequest.BodyPublishers.ofByteArray(delivery.body()));
    signer.headers(delivery.msgId(), Instant.now(), delivery.body()).forEach(request::header);
    attempts.incrementAndGet();
    return client.sendAsync(request.build(), HttpResponse.BodyHandlers.discarding())
        .handle((response, error) -> error == null && response.statusCode() / 100 == 2)
        .thenCompose(ok -> {
          if (ok || attempt >= MAX_ATTEMPTS) {
            return CompletableFuture.completedFuture(null);
          }
          Duration wait = backoff.multipliedBy(1L << (attempt - 1));
          return after(wait).thenCompose(ready -> attempt(delivery, attempt + 1));
        });
  }

  private CompletableFuture<Void> after(Duration wait) {
    if (wait.isZero()) {
      return CompletableFuture.completedFuture(null);
    }
    CompletableFuture<Void> ready = new CompletableFuture<>();
    try {
      timers.schedule(() -> ready.complete(null), wait.toNanos(), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException closed) {
      ready.completeExceptionally(closed);
    }
    return ready;
  }
}
