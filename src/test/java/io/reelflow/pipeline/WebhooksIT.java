package io.reelflow.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.standardwebhooks.Webhook;
import io.reelflow.sim.ProviderSimulator;
import io.reelflow.sim.SimulatorSettings;
import io.reelflow.video.SceneMessage;
import io.reelflow.video.Scenes;
import io.reelflow.video.VideoStatus;
import io.reelflow.video.Videos;
import io.reelflow.webhooks.WebhookSecret;
import io.reelflow.webhooks.WebhookSigner;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * Provider webhooks end to end: the simulator sends signed Replicate-style webhooks to this
 * instance (on a port fixed before start, since the webhook URL is configuration), loses,
 * duplicates and reorders some of them; the reconciler polls the jobs no webhook reached.
 * Provider {@code sim} has no fallback, so every visual goes through its webhooks.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureObservability
class WebhooksIT extends ReelflowIT {

  static final int PORT = FreePorts.next();
  static final WebhookSecret SECRET = WebhookSecret.generate();
  static final WebhookSecret OLD_SECRET = WebhookSecret.generate();
  static final ProviderSimulator SIM = ProviderSimulator.start(SimulatorSettings.defaults()
      .withSlots(24).withFixedLatency(Duration.ofMillis(800)).withToken("sim-token").withWebhookSecret(SECRET)
      .withRefusalMarker("forbidden-thing").withSeed(7)
      .withWebhookFaults(0.2, 0.3, Duration.ZERO, 0.2));

  @DynamicPropertySource
  static void providers(DynamicPropertyRegistry registry) {
    registry.add("reelflow.api.server.port", () -> PORT);
    registry.add("reelflow.providers.visual", () -> "sim");
    SimulatorProperties.register(registry, SIM, "200ms", 20);
    registry.add("reelflow.providers.remote.sim.webhook-url",
        () -> "http://127.0.0.1:" + PORT + "/v1/providers/sim/webhook");
    // Rotation: the old secret is still accepted next to the current one.
    registry.add("reelflow.providers.remote.sim.webhook-secrets[0]", OLD_SECRET::encoded);
    registry.add("reelflow.providers.remote.sim.webhook-secrets[1]", SECRET::encoded);
    // The same simulator as a provider that cannot sign: its webhooks are only hints.
    SimulatorProperties.register(registry, "sim-unsigned", SIM);
    registry.add("reelflow.providers.remote.sim-unsigned.webhook-url",
        () -> "http://127.0.0.1:" + PORT + "/v1/providers/sim-unsigned/webhook");
    registry.add("reelflow.providers.retry.initial-backoff", () -> "50ms");
    registry.add("reelflow.providers.retry.max-backoff", () -> "1s");
    registry.add("reelflow.providers.per-user-scenes", () -> "40");
    registry.add("reelflow.generation.workers", () -> "24");
    registry.add("reelflow.reconciler.interval-ms", () -> "500");
    registry.add("reelflow.reconciler.silent-after", () -> "3s");
  }

  @AfterAll
  static void stopSimulator() {
    SIM.close();
  }

  @Autowired Videos videos;
  @Autowired Scenes scenes;
  @Autowired JdbcClient jdbc;
  @Autowired RabbitTemplate rabbit;
  @Autowired ObjectMapper json;
  @Autowired PlatformTransactionManager transactions;

  @Test
  void theSignatureIsCheckedBeforeAnythingElseAndARepeatIsANoOp() throws Exception {
    byte[] body = ("{\"id\": \"p-" + UUID.randomUUID() + "\", \"status\": \"succeeded\", \"output\": [\""
        + SIM.baseUrl() + "/files/x.png\"]}").getBytes(StandardCharsets.UTF_8);
    String id = "msg_" + UUID.randomUUID();
    Map<String, String> signed = new WebhookSigner(SECRET).headers(id, Instant.now(), body);
    int rowsBefore = stored();

    assertThat(webhook("nope", signed, body).statusCode()).isEqualTo(404);
    assertThat(webhook("local-ffmpeg", signed, body).statusCode()).as("a local provider sends none").isEqualTo(404);
    assertThat(problemCode(webhook("sim", Map.of(), body))).isEqualTo("invalid_signature");
    Map<String, String> forged = new HashMap<>(signed);
    forged.put("webhook-signature", new WebhookSigner(WebhookSecret.generate()).headers(id, Instant.now(), body)
        .get("webhook-signature"));
    assertThat(webhook("sim", forged, body).statusCode()).isEqualTo(401);
    Map<String, String> stale = new WebhookSigner(SECRET).headers(id, Instant.now().minusSeconds(301), body);
    assertThat(problemCode(webhook("sim", stale, body))).isEqualTo("invalid_signature");
    byte[] tampered = new String(body, StandardCharsets.UTF_8).replace("succeeded", "failed")
        .getBytes(StandardCharsets.UTF_8);
    assertThat(webhook("sim", signed, tampered).statusCode()).isEqualTo(401);
    assertThat(stored()).as("nothing kept or deduplicated for a refused webhook").isEqualTo(rowsBefore);

    HttpResponse<String> first = webhook("sim", signed, body);
    HttpResponse<String> again = webhook("sim", signed, body);
    Map<String, String> byOldSecret = new WebhookSigner(OLD_SECRET).headers(id, Instant.now(), body);
    HttpResponse<String> rotated = webhook("sim", byOldSecret, body);
    byte[] other = new String(body, StandardCharsets.UTF_8).replace("succeeded", "processing")
        .getBytes(StandardCharsets.UTF_8);
    long now = Instant.now().getEpochSecond();
    String otherId = "msg_" + UUID.randomUUID();
    Map<String, String> byReferenceLibrary = Map.of("webhook-id", otherId, "webhook-timestamp", Long.toString(now),
        "webhook-signature", new Webhook(SECRET.encoded()).sign(otherId, now, new String(other, StandardCharsets.UTF_8)));
    HttpResponse<String> independent = webhook("sim", byReferenceLibrary, other);

    assertThat(first.statusCode()).isEqualTo(202);
    assertThat(again.statusCode()).isEqualTo(200);
    assertThat(json.readTree(again.body()).get("status").asText()).isEqualTo("duplicate");
    assertThat(rotated.statusCode()).as("signed with the old secret, same id: accepted, a duplicate").isEqualTo(200);
    assertThat(independent.statusCode()).as("signed by the reference Standard Webhooks library").isEqualTo(202);
    assertThat(stored()).isEqualTo(rowsBefore + 4);
  }

  @Test
  void aProviderThatCannotSignIsBelievedOnlyAfterAskingIt() throws Exception {
    HandPlanned planner = new HandPlanned(videos, scenes, rabbit, json, transactions);
    SceneMessage scene = planner.video("it-" + UUID.randomUUID(), "pro", List.of("Unsigned harbour"), 1000).get(0);
    String prediction = createPrediction();
    long job = jdbc.sql("insert into provider_jobs (scene_id, video_id, capability, provider, attempt, idempotency_key,"
            + " provider_job_id, status) values (?, ?, 'visual', 'sim-unsigned', 1, ?, ?, 'running') returning id")
        .params(scene.sceneId(), scene.videoId(), "key-" + UUID.randomUUID(), prediction).query(Long.class).single();
    byte[] forged = ("{\"id\": \"" + prediction + "\", \"status\": \"failed\", \"error\": \"nsfw\"}")
        .getBytes(StandardCharsets.UTF_8);

    assertThat(webhook("sim-unsigned", Map.of(), forged).statusCode()).isEqualTo(202);
    await().atMost(Duration.ofSeconds(10)).until(() -> jdbc.sql("select count(*) from inbound_webhooks"
        + " where provider = 'sim-unsigned' and payload->>'id' = ? and processed_at is not null").param(prediction)
        .query(Integer.class).single() == 1);

    assertThat(jobStatus(job)).as("the provider, asked, said the job is not failed").isEqualTo("running");
    Thread.sleep(1000);
    byte[] hint = ("{\"id\": \"" + prediction + "\", \"status\": \"succeeded\"}").getBytes(StandardCharsets.UTF_8);
    assertThat(webhook("sim-unsigned", Map.of(), hint).statusCode()).isEqualTo(202);
    await().atMost(Duration.ofSeconds(10)).until(() -> jdbc.sql("select output_ready_at is not null from provider_jobs"
        + " where id = ?").param(job).query(Boolean.class).single());
    assertThat(jdbc.sql("select output_url from provider_jobs where id = ?").param(job).query(String.class).single())
        .as("the output URL is the provider's, not the hint's").startsWith(SIM.baseUrl());
  }

  private String jobStatus(long job) {
    return jdbc.sql("select status from provider_jobs where id = ?").param(job).query(String.class).single();
  }

  private String createPrediction() throws Exception {
    HttpResponse<String> created = HTTP.send(HttpRequest.newBuilder(URI.create(SIM.baseUrl() + "/v1/predictions"))
            .header("Authorization", "Bearer sim-token").header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"version\": \"reelflow/sim:v1\", \"input\": {\"prompt\":"
                + " \"Unsigned harbour\", \"width\": 480, \"height\": 480}}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(created.statusCode()).isEqualTo(201);
    return json.readTree(created.body()).get("id").asText();
  }

  @Test
  void everyVideoEndsRightThroughLostDuplicatedAndReorderedWebhooks() throws Exception {
    HandPlanned planner = new HandPlanned(videos, scenes, rabbit, json, transactions);
    List<List<SceneMessage>> planned = new ArrayList<>();
    List<UUID> refused = new ArrayList<>();
    for (int v = 0; v < 40; v++) {
      int video = v;
      List<String> prompts = IntStream.range(0, 5)
          .mapToObj(s -> (video % 10 == 3 && s == 2 ? "forbidden-thing, " : "") + "Harbour lights " + video + "." + s)
          .toList();
      List<SceneMessage> messages = planner.video("it-" + UUID.randomUUID(), "pro", prompts, 1000);
      planned.add(messages);
      if (video % 10 == 3) {
        refused.add(messages.get(0).videoId());
      }
    }
    int attemptsBefore = SIM.webhookAttempts();

    for (List<SceneMessage> messages : planned) {
      planner.publish(messages);
    }

    await().atMost(Duration.ofMinutes(6)).pollInterval(Duration.ofSeconds(1)).until(
        () -> planned.stream().allMatch(m -> videos.find(m.get(0).videoId()).orElseThrow().status().isTerminal()));
    for (List<SceneMessage> messages : planned) {
      UUID videoId = messages.get(0).videoId();
      var video = videos.find(videoId).orElseThrow();
      if (refused.contains(videoId)) {
        assertThat(video.status()).isEqualTo(VideoStatus.FAILED);
        assertThat(video.errorCode()).isEqualTo("content_policy_violation");
      } else {
        assertThat(video.status()).as("video %s: %s", videoId, video.errorMessage()).isEqualTo(VideoStatus.SUCCEEDED);
      }
    }
    for (SceneMessage scene : planned.stream().flatMap(List::stream).toList()) {
      int generations = jdbc.sql("select idempotency_key from provider_jobs where scene_id = ?").param(scene.sceneId())
          .query(String.class).list().stream().mapToInt(SIM::generations).sum();
      if (refused.contains(scene.videoId())) {
        // A failed video stops its other scenes: some never started.
        assertThat(generations).as("scene %s of a failed video generated at most once", scene.sceneId())
            .isLessThanOrEqualTo(1);
      } else {
        assertThat(generations).as("scene %s generated once", scene.sceneId()).isEqualTo(1);
      }
    }
    assertThat(SIM.webhookAttempts() - attemptsBefore).as("the simulator sent webhooks").isGreaterThan(200);
    assertThat(countEvents("provider.job_output_ready", "webhook")).as("most jobs finished by webhook")
        .isGreaterThan(100);
    assertThat(countEvents("provider.job_output_ready", "reconciler"))
        .as("jobs whose webhook was lost were finished by the reconciler").isPositive();
    assertThat(jdbc.sql("select count(*) from job_events where event_type = 'reconciler.job_polled'")
        .query(Integer.class).single()).isPositive();
    assertNoJobMovedBackwards();
    String metrics = send(HttpRequest.newBuilder(uri("/actuator/prometheus"))).body();
    assertThat(metrics).contains("reelflow_video_stage_seconds_bucket", "stage=\"generating\"",
        "reelflow_provider_calls_seconds_count", "code=\"content_policy_violation\"",
        "reelflow_reconciler_actions_total", "kind=\"job_polled\"", "reelflow_provider_job_reports_total",
        "via=\"webhook\"");
  }

  /** For every provider job, the states in its video's feed only ever go forward. */
  private void assertNoJobMovedBackwards() {
    List<String> order = List.of("submitted", "running", "output_ready", "failed");
    Map<String, Integer> last = new HashMap<>();
    jdbc.sql("select detail->>'provider_job_id' as job, detail->>'state' as state from job_events"
            + " where event_type like 'provider.job_%' order by id")
        .query((rs, n) -> Map.entry(rs.getString("job"), rs.getString("state")))
        .list()
        .forEach(e -> {
          int rank = order.indexOf(e.getValue());
          Integer before = last.put(e.getKey(), rank);
          assertThat(before == null || before < rank).as("job %s moved to %s after rank %s", e.getKey(),
              e.getValue(), before).isTrue();
        });
    assertThat(last).isNotEmpty();
  }

  private int countEvents(String type, String via) {
    return jdbc.sql("select count(*) from job_events where event_type = ? and detail->>'via' = ?")
        .params(type, via).query(Integer.class).single();
  }

  private int stored() {
    return jdbc.sql("select (select count(*) from inbound_webhooks) + (select count(*) from processed_messages)")
        .query(Integer.class).single();
  }

  private String problemCode(HttpResponse<String> response) throws IOException {
    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
        t -> assertThat(t).startsWith("application/problem+json"));
    JsonNode problem = json.readTree(response.body());
    return problem.get("code").asText();
  }

  private HttpResponse<String> webhook(String provider, Map<String, String> headers, byte[] body) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri("/v1/providers/" + provider + "/webhook"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    headers.forEach(request::header);
    return send(request);
  }
}
