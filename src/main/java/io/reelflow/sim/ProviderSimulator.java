package io.reelflow.sim;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.reelflow.webhooks.WebhookSecret;
import io.reelflow.webhooks.WebhookSigner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local stand-in for the remote providers, on 127.0.0.1: Replicate's asynchronous predictions
 * API (create, get, cancel, signed webhooks, PNG outputs under {@code /files/}) and OpenAI's
 * {@code /v1/audio/speech}. Latency, GPU slots and faults are under the caller's control, and
 * counters tell tests what reached it. Thread-safe; {@link #close()} stops the server and timers.
 */
public final class ProviderSimulator implements AutoCloseable {

  private final SimulatorSettings settings;
  private final WebhookSecret webhookSecret;
  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool(daemon("sim-http"));
  private final ScheduledThreadPoolExecutor timers =
      new ScheduledThreadPoolExecutor(2, daemon("sim-timer"));
  private final SimulatorFaults faults;
  private final WebhookDispatcher webhooks;
  private final Predictions predictions;
  private final Latencies latencies;
  private final SimulatorRoutes routes;
  private final Set<HttpExchange> held = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  private ProviderSimulator(SimulatorSettings settings) throws IOException {
    this.settings = settings;
    this.webhookSecret = settings.webhookSecret() != null
        ? settings.webhookSecret() : WebhookSecret.generate();
    this.server = HttpServer.create(new InetSocketAddress(BIND, settings.port()), 0);
    timers.setRemoveOnCancelPolicy(true);
    ObjectMapper mapper = new ObjectMapper();
    latencies = new Latencies(settings);
    HttpClient client = HttpClient.newBuilder().executor(executor)
        .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    SimulatedMedia media = new SimulatedMedia();
    Responses responses = new Responses(mapper);
    this.faults = new SimulatorFaults(settings.refusalMarker());
    this.webhooks = new WebhookDispatcher(
        settings, new WebhookSigner(webhookSecret), client, timers, latencies);
    this.predictions = new Predictions(
        mapper, baseUrl(), settings.slots(), latencies, faults, webhooks, media, timers);
    PredictionsApi predictionsApi = new PredictionsApi(
        mapper, responses, predictions, faults, settings.retryAfterSeconds(), this::hold);
    SpeechApi speechApi = new SpeechApi(mapper, responses, faults, predictions::slots,
        settings.retryAfterSeconds(), this::hold);
    this.routes = new SimulatorRoutes(
        responses, faults, settings.token(), predictionsApi, speechApi, media);
    server.setExecutor(executor);
    server.createContext("/", routes);
  }

  /**
   * Binds 127.0.0.1 on {@code settings.port()} (0 for a free port) and starts serving.
   *
   * @throws UncheckedIOException when the port cannot be bound
   */
  public static ProviderSimulator start(SimulatorSettings settings) {
    try {
      ProviderSimulator simulator = new ProviderSimulator(settings);
      simulator.server.start();
      return simulator;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot bind the provider simulator", e);
    }
  }

  /**
   * {@code http://127.0.0.1:<port>}, without a trailing slash; or {@code REELFLOW_SIM_PUBLIC_URL}
   * when the simulator runs in a container that others reach by name.
   */
  public String baseUrl() {
    String published = System.getenv("REELFLOW_SIM_PUBLIC_URL");
    return published != null && !published.isBlank() ? published.replaceAll("/+$", "")
        : "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** The address to listen on: loopback, unless {@code REELFLOW_SIM_BIND} says otherwise (a container). */
  private static final String BIND = System.getenv().getOrDefault("REELFLOW_SIM_BIND", "127.0.0.1");

  /** The settings it started with. */
  public SimulatorSettings settings() {
    return settings;
  }

  /** The secret webhooks are signed with: the configured one, or the one generated at start. */
  public WebhookSecret webhookSecret() {
    return webhookSecret;
  }

  /** While {@code down}, every {@code /v1/*} request answers 503. */
  public void outage(boolean down) {
    faults.outage(down);
  }

  /**
   * The next {@code n} creates (predictions or speech) answer {@code status} and create nothing;
   * a 429 carries {@code Retry-After: retryAfterSeconds} when that is not null.
   */
  public void failNextCreates(int n, int status, Integer retryAfterSeconds) {
    faults.refuseNext(n, status, retryAfterSeconds);
  }

  /** The next {@code n} creates (predictions or speech) get no answer until {@link #close()}. */
  public void hangNextCreates(int n) {
    faults.hangNext(n);
  }

  /** Predictions whose prompt contains {@code marker} (ignoring case) fail as refused; or null. */
  public void refusalMarker(String marker) {
    faults.refusalMarker(marker);
  }

  /** The next {@code n} predictions created end {@code failed} with {@code error}. */
  public void failPredictionsWithError(int n, String error) {
    faults.failNext(n, error);
  }

  /** Changes how many predictions (and speech requests) may run at once. */
  public void setSlots(int slots) {
    predictions.slots(slots);
  }

  /** How many predictions were started under {@code idempotencyKey}: 1 when keys work. */
  public int generations(String idempotencyKey) {
    return predictions.generations(idempotencyKey);
  }

  /** How many predictions were started in all. */
  public int totalGenerations() {
    return predictions.totalGenerations();
  }

  /** Every create request received, including those refused, throttled or held. */
  public int createRequests() {
    return routes.createRequests();
  }

  /** Every speech request received, including those refused, throttled or held. */
  public int speechRequests() {
    return routes.speechRequests();
  }

  /** The most predictions ever starting or processing at once. */
  public int peakRunning() {
    return predictions.peakRunning();
  }

  /** Makes every prediction created from now on take {@code latency} (times the time scale). */
  public void fixLatency(Duration latency) {
    latencies.fix(latency);
  }

  /** Starts measuring the peak again from the predictions running now. */
  public void resetPeak() {
    predictions.resetPeak();
  }

  /** Predictions starting or processing now. */
  public int running() {
    return predictions.running();
  }

  /** Webhook HTTP attempts made so far, retries and duplicates included. */
  public int webhookAttempts() {
    return webhooks.attempts();
  }

  /** Stops the server, drops held requests and cancels pending transitions and webhooks. */
  @Override
  public void close() {
    closed = true;
    held.forEach(HttpExchange::close);
    held.clear();
    server.stop(0);
    timers.shutdownNow();
    executor.shutdownNow();
  }

  /**
   * Runs a simulator until the process is killed, printing its base URL (and the webhook secret
   * when it generated one). Flags: {@value SimulatorCommandLine#USAGE}.
   */
  public static void main(String[] args) throws InterruptedException {
    System.setProperty("java.awt.headless", "true");
    SimulatorSettings settings;
    try {
      settings = SimulatorCommandLine.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("provider-sim: " + e.getMessage());
      System.err.println(SimulatorCommandLine.USAGE);
      System.exit(2);
      return;
    }
    ProviderSimulator simulator = start(settings);
    Runtime.getRuntime().addShutdownHook(new Thread(simulator::close, "sim-shutdown"));
    String secret = settings.webhookSecret() == null
        ? " webhook-secret " + simulator.webhookSecret().encoded() : "";
    System.out.println("provider-sim listening on " + simulator.baseUrl() + secret);
    new CountDownLatch(1).await();
  }

  private void hold(HttpExchange exchange) {
    held.add(exchange);
    if (closed && held.remove(exchange)) {
      exchange.close();
    }
  }

  private static ThreadFactory daemon(String name) {
    AtomicInteger count = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
