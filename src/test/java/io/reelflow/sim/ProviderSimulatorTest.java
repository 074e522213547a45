package io.reelflow.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import io.reelflow.webhooks.WebhookSecret;
import io.reelflow.webhooks.WebhookVerifier;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioSystem;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ProviderSimulatorTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WAIT = Duration.ofSeconds(5);
  private static final SimulatorSettings FAST =
      SimulatorSettings.defaults().withFixedLatency(Duration.ofMillis(100)).withToken("t0ken");

  private final HttpClient http = HttpClient.newHttpClient();
  private final List<AutoCloseable> open = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable closeable : open) {
      closeable.close();
    }
  }

  @Test
  void predictionStartsRunsAndSucceedsWithAPngOfTheAskedSize() throws Exception {
    ProviderSimulator sim = start(FAST);

    HttpResponse<String> created = create(sim, input("a red fox", 320, 200), null);

    assertThat(created.statusCode()).isEqualTo(201);
    JsonNode prediction = JSON.readTree(created.body());
    String id = prediction.get("id").asText();
    assertThat(id).matches("[a-z0-9]{26}");
    assertThat(prediction.get("status").asText()).isEqualTo("starting");
    assertThat(prediction.get("output").isNull()).isTrue();
    assertThat(prediction.at("/urls/get").asText())
        .isEqualTo(sim.baseUrl() + "/v1/predictions/" + id);
    JsonNode done = awaitStatus(sim, id, "succeeded");
    assertThat(done.get("started_at").isTextual()).isTrue();
    assertThat(done.get("completed_at").isTextual()).isTrue();
    assertThat(done.at("/metrics/predict_time").asDouble()).isPositive();
    HttpResponse<byte[]> png = http.send(
        HttpRequest.newBuilder(URI.create(done.get("output").asText())).build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertThat(png.headers().firstValue("Content-Type")).hasValue("image/png");
    BufferedImage image = ImageIO.read(new ByteArrayInputStream(png.body()));
    assertThat(image.getWidth()).isEqualTo(320);
    assertThat(image.getHeight()).isEqualTo(200);
    assertThat(sim.running()).isZero();
  }

  @Test
  void aspectRatioSetsTheSize() throws Exception {
    ProviderSimulator sim = start(FAST);
    ObjectNode input = JSON.createObjectNode().put("prompt", "tall").put("aspect_ratio", "9:16");

    String id = JSON.readTree(create(sim, input, null).body()).get("id").asText();

    JsonNode done = awaitStatus(sim, id, "succeeded");
    byte[] png = http.send(HttpRequest.newBuilder(URI.create(done.get("output").asText())).build(),
        HttpResponse.BodyHandlers.ofByteArray()).body();
    BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
    assertThat(image.getWidth()).isEqualTo(720);
    assertThat(image.getHeight()).isEqualTo(1280);
  }

  @Test
  void sameIdempotencyKeyReturnsThePredictionAlreadyStarted() throws Exception {
    ProviderSimulator sim = start(FAST);

    HttpResponse<String> first = create(sim, input("once", 64, 64), "scene-1");
    HttpResponse<String> second = create(sim, input("once", 64, 64), "scene-1");

    assertThat(second.statusCode()).isEqualTo(201);
    assertThat(id(second)).isEqualTo(id(first));
    assertThat(sim.generations("scene-1")).isEqualTo(1);
    assertThat(sim.totalGenerations()).isEqualTo(1);
    assertThat(sim.createRequests()).isEqualTo(2);
  }

  @Test
  void fullSlotsAnswer429WithRetryAfterAndNeverRunMoreThanTheSlots() throws Exception {
    ProviderSimulator sim = start(FAST.withSlots(2).withFixedLatency(Duration.ofMillis(300)));

    List<CompletableFuture<HttpResponse<String>>> burst = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      burst.add(http.sendAsync(createRequest(sim, input("burst " + i, 32, 32), null),
          HttpResponse.BodyHandlers.ofString()));
    }
    List<HttpResponse<String>> answers = burst.stream().map(CompletableFuture::join).toList();

    assertThat(answers).filteredOn(r -> r.statusCode() == 201).hasSize(2);
    HttpResponse<String> throttled =
        answers.stream().filter(r -> r.statusCode() == 429).findFirst().orElseThrow();
    assertThat(answers).filteredOn(r -> r.statusCode() == 429).hasSize(4);
    assertThat(throttled.headers().firstValue("Retry-After")).hasValue("1");
    assertThat(JSON.readTree(throttled.body()).get("detail").asText())
        .isEqualTo("Request was throttled.");
    assertThat(sim.peakRunning()).isEqualTo(2);
    await().atMost(WAIT).until(() -> sim.running() == 0);
    assertThat(create(sim, input("after", 32, 32), null).statusCode()).isEqualTo(201);
    assertThat(sim.peakRunning()).isEqualTo(2);
  }

  @Test
  void failNextCreatesRefusesExactlyThatManyThenCreates() throws Exception {
    ProviderSimulator sim = start(FAST);
    sim.failNextCreates(2, 429, 3);

    HttpResponse<String> first = create(sim, input("x", 32, 32), "k");
    HttpResponse<String> second = create(sim, input("x", 32, 32), "k");
    HttpResponse<String> third = create(sim, input("x", 32, 32), "k");

    for (HttpResponse<String> refused : List.of(first, second)) {
      assertThat(refused.statusCode()).isEqualTo(429);
      assertThat(refused.headers().firstValue("Retry-After")).hasValue("3");
    }
    assertThat(third.statusCode()).isEqualTo(201);
    assertThat(sim.generations("k")).isEqualTo(1);
    assertThat(sim.createRequests()).isEqualTo(3);
  }

  @Test
  void outageAnswers503UntilItEnds() throws Exception {
    ProviderSimulator sim = start(FAST);
    sim.outage(true);

    HttpResponse<String> down = create(sim, input("x", 32, 32), null);

    assertThat(down.statusCode()).isEqualTo(503);
    assertThat(JSON.readTree(down.body()).get("detail").asText()).isEqualTo("Service Unavailable");
    assertThat(get(sim, "/v1/predictions/abc").statusCode()).isEqualTo(503);
    sim.outage(false);
    assertThat(create(sim, input("x", 32, 32), null).statusCode()).isEqualTo(201);
    assertThat(sim.totalGenerations()).isEqualTo(1);
  }

  @Test
  void refusalMarkerAndInjectedErrorsEndFailed() throws Exception {
    ProviderSimulator sim = start(FAST.withRefusalMarker("REFUSE"));
    sim.failPredictionsWithError(1, "CUDA out of memory");

    String refused = id(create(sim, input("please refuse this", 32, 32), null));
    String oom = id(create(sim, input("fine prompt", 32, 32), null));
    String fine = id(create(sim, input("fine prompt", 32, 32), null));

    assertThat(awaitStatus(sim, refused, "failed").get("error").asText())
        .isEqualTo("content_policy_violation: the prompt was flagged by the safety checker");
    assertThat(awaitStatus(sim, oom, "failed").get("error").asText())
        .isEqualTo("CUDA out of memory");
    assertThat(awaitStatus(sim, fine, "succeeded").get("error").isNull()).isTrue();
  }

  @Test
  void cancelStopsARunningPredictionAndFreesItsSlot() throws Exception {
    ProviderSimulator sim = start(FAST.withSlots(1).withFixedLatency(Duration.ofSeconds(30)));
    String id = id(create(sim, input("long", 32, 32), null));

    HttpResponse<String> canceled = post(sim, "/v1/predictions/" + id + "/cancel", "", null);

    assertThat(canceled.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(canceled.body()).get("status").asText()).isEqualTo("canceled");
    assertThat(sim.running()).isZero();
    HttpResponse<String> again = post(sim, "/v1/predictions/" + id + "/cancel", "", null);
    assertThat(JSON.readTree(again.body()).get("status").asText()).isEqualTo("canceled");
    assertThat(create(sim, input("next", 32, 32), null).statusCode()).isEqualTo(201);
    assertThat(post(sim, "/v1/predictions/nosuch/cancel", "", null).statusCode()).isEqualTo(404);
  }

  @Test
  void unknownPredictionIs404() throws Exception {
    ProviderSimulator sim = start(FAST);

    HttpResponse<String> missing = get(sim, "/v1/predictions/doesnotexist");

    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(JSON.readTree(missing.body()).get("detail").asText()).isEqualTo("Not found.");
  }

  @Test
  void wrongTokenIs401() throws Exception {
    ProviderSimulator sim = start(FAST);

    HttpResponse<String> refused = http.send(
        HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/v1/predictions"))
            .header("Authorization", "Bearer wrong")
            .POST(HttpRequest.BodyPublishers.ofString(body(input("x", 32, 32), null)))
            .build(),
        HttpResponse.BodyHandlers.ofString());

    assertThat(refused.statusCode()).isEqualTo(401);
    assertThat(JSON.readTree(refused.body()).get("detail").asText()).isEqualTo("Unauthenticated");
    assertThat(sim.totalGenerations()).isZero();
  }

  @Test
  void webhooksAreSignedAndCarryStartThenCompleted() throws Exception {
    Hooks hooks = hooks();
    WebhookSecret secret = WebhookSecret.generate();
    ProviderSimulator sim = start(FAST.withWebhookSecret(secret));

    String id = id(create(sim, input("hooked", 32, 32), null, hooks.url()));

    await().atMost(WAIT).until(() -> hooks.received.size() == 2);
    WebhookVerifier verifier = new WebhookVerifier(List.of(secret));
    for (Hook hook : hooks.received) {
      verifier.verify(hook.headers(), hook.body());
      assertThat(JSON.readTree(hook.body()).get("id").asText()).isEqualTo(id);
    }
    assertThat(hooks.statuses()).containsExactly("starting", "succeeded");
    assertThat(hooks.ids()).doesNotHaveDuplicates();
  }

  @Test
  void duplicatedWebhooksShareOneWebhookId() throws Exception {
    Hooks hooks = hooks();
    ProviderSimulator sim = start(FAST.withWebhookFaults(0, 1.0, Duration.ZERO, 0));

    create(sim, input("twice", 32, 32), null, hooks.url());

    await().atMost(WAIT).until(() -> hooks.received.size() == 4);
    Map<String, Long> perId =
        hooks.ids().stream().collect(Collectors.groupingBy(i -> i, Collectors.counting()));
    assertThat(perId).hasSize(2).allSatisfy((msgId, count) -> assertThat(count).isEqualTo(2));
    assertThat(sim.webhookAttempts()).isEqualTo(4);
  }

  @Test
  void outOfOrderWebhooksSendStartAfterCompleted() throws Exception {
    Hooks hooks = hooks();
    ProviderSimulator sim = start(FAST.withWebhookFaults(0, 0, Duration.ZERO, 1.0));

    create(sim, input("late start", 32, 32), null, hooks.url());

    await().atMost(WAIT).until(() -> hooks.received.size() == 2);
    assertThat(hooks.statuses()).containsExactly("succeeded", "starting");
  }

  @Test
  void lostWebhooksAreNeverSent() throws Exception {
    Hooks hooks = hooks();
    ProviderSimulator sim = start(FAST.withWebhookFaults(1.0, 0, Duration.ZERO, 0));

    String id = id(create(sim, input("lost", 32, 32), null, hooks.url()));

    awaitStatus(sim, id, "succeeded");
    await().during(Duration.ofMillis(200)).atMost(WAIT).until(hooks.received::isEmpty);
    assertThat(sim.webhookAttempts()).isZero();
  }

  @Test
  void speechIsAWavOfSixtyMillisecondsPerCharacter() throws Exception {
    ProviderSimulator sim = start(FAST);
    String text = "Hello from the simulator";

    HttpResponse<byte[]> wav = speech(sim, JSON.createObjectNode()
        .put("model", "tts-1").put("input", text).put("voice", "alloy")
        .put("response_format", "wav").toString());

    assertThat(wav.statusCode()).isEqualTo(200);
    assertThat(wav.headers().firstValue("Content-Type")).hasValue("audio/wav");
    AudioFileFormat file = AudioSystem.getAudioFileFormat(new ByteArrayInputStream(wav.body()));
    AudioFormat format = file.getFormat();
    assertThat(format.getSampleRate()).isEqualTo(24_000f);
    assertThat(format.getSampleSizeInBits()).isEqualTo(16);
    assertThat(format.getChannels()).isEqualTo(1);
    assertThat(file.getFrameLength() / format.getSampleRate())
        .isCloseTo(text.length() * 0.060f, offset(0.01f));
    assertThat(peak(wav.body())).isGreaterThan(1000);
    assertThat(sim.speechRequests()).isEqualTo(1);
  }

  @Test
  void shortSpeechLastsHalfASecondAndEmptyInputIs400() throws Exception {
    ProviderSimulator sim = start(FAST);

    HttpResponse<byte[]> shortWav = speech(sim, "{\"model\":\"tts-1\",\"input\":\"Hi\"}");
    HttpResponse<byte[]> empty = speech(sim, "{\"model\":\"tts-1\",\"input\":\"\"}");

    AudioFileFormat file =
        AudioSystem.getAudioFileFormat(new ByteArrayInputStream(shortWav.body()));
    assertThat(file.getFrameLength()).isEqualTo(12_000);
    assertThat(empty.statusCode()).isEqualTo(400);
    JsonNode error = JSON.readTree(empty.body()).get("error");
    assertThat(error.get("type").asText()).isEqualTo("invalid_request_error");
    assertThat(error.get("param").asText()).isEqualTo("input");
  }

  @Test
  void hungCreatesHoldTheirRequestWithoutBlockingOthers() throws Exception {
    ProviderSimulator sim = start(FAST.withSlots(1));
    sim.hangNextCreates(2);

    CompletableFuture<HttpResponse<String>> hung = http.sendAsync(
        createRequest(sim, input("hang", 32, 32), null), HttpResponse.BodyHandlers.ofString());
    CompletableFuture<HttpResponse<byte[]>> hungSpeech = http.sendAsync(
        speechRequest(sim, "{\"input\":\"hang\"}"), HttpResponse.BodyHandlers.ofByteArray());
    await().atMost(WAIT).until(() -> sim.createRequests() == 1 && sim.speechRequests() == 1);

    assertThat(get(sim, "/v1/predictions/other").statusCode()).isEqualTo(404);
    HttpResponse<byte[]> throttled = speech(sim, "{\"input\":\"too many\"}");
    assertThat(throttled.statusCode()).isEqualTo(429);
    assertThat(throttled.headers().firstValue("Retry-After")).hasValue("1");
    assertThat(hung).isNotDone();
    sim.close();
    await().atMost(WAIT).until(() -> hung.isDone() && hungSpeech.isDone());
    assertThat(hung).isCompletedExceptionally();
    assertThat(sim.totalGenerations()).isZero();
  }

  private ProviderSimulator start(SimulatorSettings settings) {
    ProviderSimulator sim = ProviderSimulator.start(settings);
    open.add(sim);
    return sim;
  }

  private Hooks hooks() throws IOException {
    Hooks hooks = new Hooks();
    open.add(hooks);
    return hooks;
  }

  private static ObjectNode input(String prompt, int width, int height) {
    return JSON.createObjectNode().put("prompt", prompt).put("width", width).put("height", height);
  }

  private HttpResponse<String> create(ProviderSimulator sim, ObjectNode input, String key)
      throws Exception {
    return http.send(createRequest(sim, input, key), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> create(
      ProviderSimulator sim, ObjectNode input, String key, String webhook) throws Exception {
    return post(sim, "/v1/predictions", body(input, webhook), key);
  }

  private HttpRequest createRequest(ProviderSimulator sim, ObjectNode input, String key) {
    return request(sim, "/v1/predictions", body(input, null), key);
  }

  private static String body(ObjectNode input, String webhook) {
    ObjectNode body = JSON.createObjectNode().put("version", "owner/model:abc123");
    body.set("input", input);
    if (webhook != null) {
      body.put("webhook", webhook);
      body.putArray("webhook_events_filter").add("start").add("completed");
    }
    return body.toString();
  }

  private HttpResponse<String> post(ProviderSimulator sim, String path, String body, String key)
      throws Exception {
    return http.send(request(sim, path, body, key), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(ProviderSimulator sim, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(sim.baseUrl() + path))
            .header("Authorization", "Bearer t0ken").build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static HttpRequest request(ProviderSimulator sim, String path, String body, String key) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(sim.baseUrl() + path))
        .header("Authorization", "Bearer t0ken")
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (key != null) {
      request.header("Idempotency-Key", key);
    }
    return request.build();
  }

  private HttpResponse<byte[]> speech(ProviderSimulator sim, String body) throws Exception {
    return http.send(speechRequest(sim, body), HttpResponse.BodyHandlers.ofByteArray());
  }

  private static HttpRequest speechRequest(ProviderSimulator sim, String body) {
    return request(sim, "/v1/audio/speech", body, null);
  }

  private JsonNode awaitStatus(ProviderSimulator sim, String id, String status) throws Exception {
    await().atMost(WAIT).pollInterval(Duration.ofMillis(20))
        .until(() -> status.equals(poll(sim, id).get("status").asText()));
    return poll(sim, id);
  }

  private JsonNode poll(ProviderSimulator sim, String id) throws Exception {
    return JSON.readTree(get(sim, "/v1/predictions/" + id).body());
  }

  private static String id(HttpResponse<String> response) throws IOException {
    return JSON.readTree(response.body()).get("id").asText();
  }

  private static int peak(byte[] wav) {
    ByteBuffer samples = ByteBuffer.wrap(wav, 44, wav.length - 44).order(ByteOrder.LITTLE_ENDIAN);
    int peak = 0;
    while (samples.remaining() >= 2) {
      peak = Math.max(peak, Math.abs(samples.getShort()));
    }
    return peak;
  }

  private record Hook(Map<String, String> headers, byte[] body) {}

  /** A local receiver that records every webhook and answers 204. */
  private static final class Hooks implements AutoCloseable {

    final List<Hook> received = new CopyOnWriteArrayList<>();
    private final HttpServer server;

    Hooks() throws IOException {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      server.createContext("/hooks", exchange -> {
        try (exchange) {
          Map<String, String> headers = new HashMap<>();
          exchange.getRequestHeaders().forEach((name, values) -> headers.put(name, values.get(0)));
          received.add(new Hook(headers, exchange.getRequestBody().readAllBytes()));
          exchange.sendResponseHeaders(204, -1);
        }
      });
      server.start();
    }

    String url() {
      return "http://127.0.0.1:" + server.getAddress().getPort() + "/hooks";
    }

    List<String> statuses() throws IOException {
      List<String> statuses = new ArrayList<>();
      for (Hook hook : received) {
        statuses.add(JSON.readTree(hook.body()).get("status").asText());
      }
      return statuses;
    }

    List<String> ids() {
      return received.stream().map(h -> h.headers().get("Webhook-id")).toList();
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }
}
