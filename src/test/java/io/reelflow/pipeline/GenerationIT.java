package io.reelflow.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.reelflow.generation.ProviderBreakers;
import io.reelflow.generation.ProviderSlots;
import io.reelflow.generation.SceneLease;
import io.reelflow.generation.SceneWork;
import io.reelflow.generation.VisualsFirst;
import io.reelflow.sim.ProviderSimulator;
import io.reelflow.sim.SimulatorSettings;
import io.reelflow.video.SceneJob;
import io.reelflow.video.SceneMessage;
import io.reelflow.video.Scenes;
import io.reelflow.video.Video;
import io.reelflow.video.Sha256;
import io.reelflow.video.VideoStatus;
import io.reelflow.video.Videos;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * Parallel scene generation against the provider simulator (a Replicate-style API on loopback):
 * visuals come from provider {@code sim}, with {@code local-ffmpeg} as its fallback; speech is
 * local. Every assertion about "never twice" and "never more than the slots" is made on the
 * simulator's own counts.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GenerationIT extends ReelflowIT {

  static final String ADMIN_TOKEN = "admin-" + UUID.randomUUID();
  static final ProviderSimulator SIM = ProviderSimulator.start(SimulatorSettings.defaults()
      .withSlots(16).withFixedLatency(Duration.ofSeconds(1)).withToken("sim-token").withRetryAfterSeconds(1)
      .withRefusalMarker("forbidden-thing"));

  @DynamicPropertySource
  static void providers(DynamicPropertyRegistry registry) {
    registry.add("reelflow.providers.visual", () -> "sim,local-ffmpeg");
    SimulatorProperties.register(registry, SIM, "50ms", 10);
    registry.add("reelflow.providers.breaker.minimum-calls", () -> "2");
    registry.add("reelflow.providers.breaker.sliding-window", () -> "4");
    registry.add("reelflow.providers.breaker.open-wait", () -> "60s");
    registry.add("reelflow.providers.retry.initial-backoff", () -> "50ms");
    registry.add("reelflow.providers.retry.max-backoff", () -> "2s");
    registry.add("reelflow.generation.workers", () -> "12");
    registry.add("reelflow.providers.per-user-scenes", () -> "10");
    registry.add("reelflow.maintenance.lease-sweep-interval-ms", () -> "300");
    registry.add("reelflow.admin.token", () -> ADMIN_TOKEN);
    registry.add("reelflow.api.tiers.enterprise.max-queue-wait", () -> "1s");
    // long enough that a voice-over never starts before its visual on a slow machine
    registry.add("reelflow.generation.visuals-first-wait", () -> "10s");
  }

  @AfterAll
  static void stopSimulator() {
    SIM.close();
  }

  @Autowired Videos videos;
  @Autowired Scenes scenes;
  @Autowired SceneWork sceneWork;
  @Autowired SceneLease sceneLease;
  @Autowired JdbcClient jdbc;
  @Autowired RabbitTemplate rabbit;
  @Autowired ObjectMapper json;
  @Autowired PlatformTransactionManager transactions;
  @Autowired ProviderBreakers breakers;
  @Autowired ProviderSlots providerSlots;
  @Autowired MeterRegistry meters;
  @Autowired VisualsFirst visualsFirst;

  @BeforeEach
  void healthyProviderAndNothingElseRunning() {
    jdbc.sql("update scenes set status = 'canceled' where status in ('pending', 'generating')").update();
    jdbc.sql("update videos set status = 'canceled' where status in ('queued', 'planning', 'generating', 'composing')")
        .update();
    await().atMost(Duration.ofSeconds(30)).until(() -> SIM.running() == 0);
    SIM.outage(false);
    breakers.of("sim").reset();
    breakers.of("local-ffmpeg").reset();
    jdbc.sql("delete from provider_capacity").update();
    jdbc.sql("delete from provider_slot_leases").update();
  }

  @Test
  void tenScenesRenderSideBySideNotOneAfterAnother() throws Exception {
    SIM.resetPeak();
    List<SceneMessage> planned = aGeneratingVideo("pro", 10, "A quiet lake at dawn");

    publish(planned);

    awaitStatus(planned.get(0).videoId(), VideoStatus.SUCCEEDED);
    assertThat(SIM.peakRunning()).as("all ten predictions ran at once").isEqualTo(10);
    assertThat(providersOf(planned.get(0).videoId())).containsOnly("sim");
    assertThat(jdbc.sql("select count(*) from provider_jobs where video_id = ? and capability = 'speech'")
        .param(planned.get(0).videoId()).query(Integer.class).single()).isEqualTo(10);
    assertThat(jdbc.sql("select count(*) from provider_jobs s join provider_jobs v on v.scene_id = s.scene_id"
            + " and v.capability = 'visual' where s.video_id = ? and s.capability = 'speech' and s.created_at <= v.created_at")
        .param(planned.get(0).videoId()).query(Integer.class).single())
        .as("visuals first: no voice-over started before its scene's visual was on its provider").isZero();
    assertThat(jdbc.sql("select distinct asset_type || ' ' || content_type from assets where video_id = ?"
            + " and scene_id is not null and asset_type in ('video', 'image')").param(planned.get(0).videoId())
        .query(String.class).list()).as("the simulator's stills are kept as they are, composition pans them")
        .containsExactly("image image/png");
  }

  @Test
  void cancelingAVideoCancelsItsRunningProviderJob() throws Exception {
    String key = newKey("pro");
    String user = jdbc.sql("select user_id from api_keys where key_hash = ?").param(Sha256.hex(key))
        .query(String.class).single();
    List<SceneMessage> planned = aGeneratingVideo(user, "pro", List.of("A slow sunrise"));
    SIM.fixLatency(Duration.ofSeconds(60));
    try {
      publish(planned);
      String predictionId = await().atMost(Duration.ofSeconds(30)).until(
          () -> jdbc.sql("select provider_job_id from provider_jobs where scene_id = ? and provider = 'sim'")
              .param(planned.get(0).sceneId()).query(String.class).optional().orElse(null),
          id -> id != null);

      assertThat(post("/v1/videos/" + planned.get(0).videoId() + "/cancel", key).statusCode()).isEqualTo(200);

      await().atMost(Duration.ofSeconds(10)).until(() -> predictionStatus(predictionId), "canceled"::equals);
      await().atMost(Duration.ofSeconds(10)).until(
          () -> jdbc.sql("select status from provider_jobs where provider_job_id = ?").param(predictionId)
              .query(String.class).single(), "canceled"::equals);
    } finally {
      SIM.fixLatency(Duration.ofSeconds(1));
    }
  }

  @Test
  void oneUsersScenesNeverHoldMoreSlotsThanTheCap() throws Exception {
    SIM.resetPeak();
    List<SceneMessage> planned = aGeneratingVideo("pro", 12, "A city at night");

    publish(planned);

    awaitStatus(planned.get(0).videoId(), VideoStatus.SUCCEEDED);
    assertThat(SIM.peakRunning()).as("per-user-scenes is 10, the provider has 16 slots").isEqualTo(10);
  }

  @Test
  void theFreeTierKeepsItsFloorShareWhilePaidWorkWaits() throws Exception {
    assertThat(put("/v1/admin/providers/sim", ADMIN_TOKEN, "{\"slots\": 4}").statusCode()).isEqualTo(200);
    List<SceneMessage> paid = aGeneratingVideo("enterprise", 8, "Paid work");
    List<SceneMessage> free = aGeneratingVideo("free", 2, "Free work");

    publish(paid);
    for (SceneMessage message : free) {
      rabbit.convertAndSend("reelflow", "scene.generate.free", json.writeValueAsBytes(message));
    }

    awaitStatus(paid.get(0).videoId(), VideoStatus.SUCCEEDED);
    awaitStatus(free.get(0).videoId(), VideoStatus.SUCCEEDED);
    Timestamp firstFree = firstCall(free.get(0).videoId(), "min");
    Timestamp lastPaid = firstCall(paid.get(0).videoId(), "max");
    assertThat(firstFree).as("a free scene got a slot before the paid backlog was through").isBefore(lastPaid);
  }

  @Test
  @Order(1)
  void aSceneThrottledTwiceRetriesTwiceAndLeavesTheOthersAlone() throws Exception {
    List<SceneMessage> planned = aGeneratingVideo("pro", 3, "Fresh bread on a table");
    SIM.failNextCreates(2, 429, 1);

    publish(planned.subList(0, 1));
    await().atMost(Duration.ofMinutes(1)).until(() -> sceneStatus(planned.get(0)).equals("succeeded"));
    publish(planned.subList(1, 3));

    awaitStatus(planned.get(0).videoId(), VideoStatus.SUCCEEDED);
    List<Integer> retries = jdbc.sql("select retry_count from scenes where video_id = ? order by sequence_number")
        .param(planned.get(0).videoId()).query(Integer.class).list();
    assertThat(retries).containsExactly(2, 0, 0);
    List<Integer> delays = jdbc.sql("select (detail->>'delay_ms')::int from job_events where scene_id = ?"
            + " and event_type = 'scene.retrying'").param(planned.get(0).sceneId()).query(Integer.class).list();
    assertThat(delays).as("each retry waited at least the provider's Retry-After").hasSize(2)
        .allSatisfy(d -> assertThat(d).isGreaterThanOrEqualTo(1000));
    assertThat(generationsOf(planned)).as("one generation per scene").containsOnly(1);
    assertThat(jdbc.sql("select count(distinct idempotency_key) from provider_jobs where scene_id = ? and provider = 'sim'")
        .param(planned.get(0).sceneId()).query(Integer.class).single())
        .as("a throttled create is repeated with the same idempotency key").isEqualTo(1);
  }

  @Test
  @Order(2)
  void aFreeScenesRetriesStopAtItsTiersCap() throws Exception {
    List<SceneMessage> planned = aGeneratingVideo("free", 1, "Fresh bread on a board");
    SIM.failNextCreates(3, 429, 1);

    publish(planned);

    awaitStatus(planned.get(0).videoId(), VideoStatus.FAILED);
    assertThat(jdbc.sql("select retry_count from scenes where id = ?").param(planned.get(0).sceneId())
        .query(Integer.class).single()).as("the free tier's max-retries, not the providers' budget of 3").isEqualTo(2);
    Video failed = videos.find(planned.get(0).videoId()).orElseThrow();
    assertThat(failed.errorMessage()).contains("after 2 retries");
    assertThat(failed.errorRetryable()).isTrue();
  }

  @Test
  void anOutageOpensTheCircuitAndTheVideoFinishesThroughTheFallback() throws Exception {
    SIM.outage(true);
    List<SceneMessage> planned = aGeneratingVideo("pro", 3, "Running shoes on a track");

    publish(planned);

    awaitStatus(planned.get(0).videoId(), VideoStatus.SUCCEEDED);
    assertThat(providersOf(planned.get(0).videoId())).containsOnly("local-ffmpeg");
    assertThat(breakers.of("sim").getState().name()).isEqualTo("OPEN");
    int callsWhenOpen = SIM.createRequests();

    List<SceneMessage> next = aGeneratingVideo("pro", 2, "Running shoes in the rain");
    publish(next);

    awaitStatus(next.get(0).videoId(), VideoStatus.SUCCEEDED);
    assertThat(SIM.createRequests()).as("an open circuit keeps calls away from the provider").isEqualTo(callsWhenOpen);
  }

  @Test
  void withEveryCircuitOpenAScenesWaitsAndGoesOnWhenOneCloses() throws Exception {
    breakers.of("sim").transitionToForcedOpenState();
    breakers.of("local-ffmpeg").transitionToForcedOpenState();
    List<SceneMessage> planned = aGeneratingVideo("pro", 1, "A lantern in the snow");
    try {
      publish(planned);
      await().atMost(Duration.ofSeconds(30)).until(() -> sceneStatus(planned.get(0)).equals("generating"));
      await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(
          () -> jdbc.sql("select count(*) from provider_jobs where scene_id = ? and capability = 'visual'")
              .param(planned.get(0).sceneId()).query(Integer.class).single() == 0);
    } finally {
      breakers.of("local-ffmpeg").transitionToClosedState();
      breakers.of("sim").transitionToClosedState();
    }

    awaitStatus(planned.get(0).videoId(), VideoStatus.SUCCEEDED);
    assertThat(providersOf(planned.get(0).videoId())).containsOnly("sim");
    assertThat(jdbc.sql("select retry_count from scenes where id = ?").param(planned.get(0).sceneId())
        .query(Integer.class).single()).as("waiting for a circuit spends no retries").isZero();
  }

  @Test
  void aContentPolicyRefusalFailsTheVideoWithTheProviderCodeAndIsNotRetried() throws Exception {
    List<SceneMessage> planned = aGeneratingVideo("pro", 2, "A forbidden-thing in a park");
    int before = SIM.createRequests();

    publish(planned);

    awaitStatus(planned.get(0).videoId(), VideoStatus.FAILED);
    Video failed = videos.find(planned.get(0).videoId()).orElseThrow();
    assertThat(failed.errorCode()).isEqualTo("content_policy_violation");
    assertThat(failed.errorOrigin().provider()).isEqualTo("sim");
    assertThat(failed.errorOrigin().providerCode()).isEqualTo("content_policy_violation");
    assertThat(failed.errorRetryable()).isFalse();
    await().atMost(Duration.ofSeconds(30)).until(() -> SIM.running() == 0);
    assertThat(SIM.createRequests() - before).as("one call per scene, no retry of a refusal").isEqualTo(2);
  }

  @Test
  void aFailedSceneIsRetriedAloneAndTheVideoIsComposed() throws Exception {
    String key = newKey("pro");
    String user = jdbc.sql("select user_id from api_keys where key_hash = ?").param(Sha256.hex(key))
        .query(String.class).single();
    List<SceneMessage> planned = aGeneratingVideo(user, "pro", List.of("A bakery at night", "A forbidden-thing sign"));
    publish(planned.subList(0, 1));
    await().atMost(Duration.ofSeconds(30)).until(() -> sceneStatus(planned.get(0)).equals("succeeded"));
    publish(planned.subList(1, 2));
    UUID videoId = planned.get(0).videoId();
    awaitStatus(videoId, VideoStatus.FAILED);
    List<Integer> before = generationsOf(planned);

    HttpResponse<String> wrongScene = post("/v1/videos/" + videoId + "/scenes/0/retry", key, "");
    assertThat(wrongScene.statusCode()).isEqualTo(409);
    assertThat(json.readTree(wrongScene.body()).get("code").asText()).isEqualTo("not_retryable");
    assertThat(post("/v1/videos/" + videoId + "/scenes/1/retry", newKey()).statusCode()).isEqualTo(404);

    jdbc.sql("update scenes set visual_prompt = 'A bakery sign' where id = ?").param(planned.get(1).sceneId()).update();
    withRelayStopped(() -> { // the relay deletes an outbox row once published
      HttpResponse<String> retried = post("/v1/videos/" + videoId + "/scenes/1/retry", key, "");

      assertThat(retried.statusCode()).isEqualTo(202);
      assertThat(json.readTree(retried.body()).get("retried_scenes")).hasSize(1);
      assertThat(jdbc.sql("select priority from outbox where aggregate_id = ? and destination = 'scene.generate'")
          .param(videoId).query(Integer.class).list())
          .as("the retried scene's message carries the pro tier's priority, as a plan's do").containsExactly(5);
    });
    awaitStatus(videoId, VideoStatus.SUCCEEDED);
    List<Integer> after = generationsOf(planned);
    assertThat(after.get(0)).as("the succeeded scene is not generated again").isEqualTo(before.get(0));
    assertThat(after.get(1)).isEqualTo(before.get(1) + 1);
  }

  @Test
  void duplicateDeliveriesNeverGenerateASceneTwice() throws Exception {
    List<SceneMessage> planned = aGeneratingVideo("pro", 3, "Tea leaves in hot water");

    publish(planned);
    publish(planned);

    awaitStatus(planned.get(0).videoId(), VideoStatus.SUCCEEDED);
    assertThat(generationsOf(planned)).containsOnly(1);
  }

  @Test
  void aSceneLeftByACrashedWorkerResumesItsProviderJobInsteadOfPayingAgain() throws Exception {
    List<SceneMessage> planned = aGeneratingVideo("pro", 1, "Coffee beans falling");
    SceneMessage scene = planned.get(0);
    String idempotencyKey = Sha256.hex(scene.sceneId() + ":visual:sim:1");
    String predictionId = createPrediction(idempotencyKey);
    jdbc.sql("insert into provider_jobs (scene_id, video_id, capability, provider, attempt, idempotency_key,"
            + " provider_job_id, status) values (?, ?, 'visual', 'sim', 1, ?, ?, 'running')")
        .params(scene.sceneId(), scene.videoId(), idempotencyKey, predictionId).update();
    jdbc.sql("update scenes set status = 'generating', lease_owner = 'crashed@elsewhere',"
            + " lease_expires_at = now() - interval '1 second', started_at = now() where id = ?")
        .param(scene.sceneId()).update();
    int createsBefore = SIM.createRequests();

    awaitStatus(scene.videoId(), VideoStatus.SUCCEEDED);

    assertThat(SIM.generations(idempotencyKey)).isEqualTo(1);
    assertThat(SIM.createRequests()).as("the stored prediction was polled, not created again").isEqualTo(createsBefore);
  }

  @Test
  void aWorkerThatLosesItsLeaseLeavesItsProviderJobToTheWorkerThatTakesTheSceneOver() throws Exception {
    SIM.fixLatency(Duration.ofSeconds(4));
    try {
      List<SceneMessage> planned = aGeneratingVideo("pro", 1, "A kettle on a stove");
      SceneMessage scene = planned.get(0);
      int before = SIM.totalGenerations();
      publish(planned);
      await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.sql("select count(*) from provider_jobs where scene_id = ?"
          + " and capability = 'visual' and provider_job_id is not null").param(scene.sceneId()).query(Integer.class)
          .single() == 1);

      // as if the worker had stalled past its lease and another had claimed the scene
      jdbc.sql("update scenes set lease_owner = 'faster@elsewhere', lease_expires_at = now() - interval '1 second'"
          + " where id = ?").param(scene.sceneId()).update();

      awaitStatus(scene.videoId(), VideoStatus.SUCCEEDED);
      assertThat(jdbc.sql("select count(*) from provider_jobs where scene_id = ? and capability = 'visual'")
          .param(scene.sceneId()).query(Integer.class).single()).as("the job was resumed, not begun again").isEqualTo(1);
      assertThat(SIM.totalGenerations() - before).as("one generation for the scene").isEqualTo(1);
    } finally {
      SIM.fixLatency(Duration.ofSeconds(1));
    }
  }

  @Test
  void aWorkerOfTheSameInstanceThatTakesOverASceneNeitherTouchesTheFilesNorTheClaimOfTheOneItReplaced()
      throws Exception {
    SceneMessage scene = aGeneratingVideo("pro", 1, "A teapot on a windowsill").get(0);
    SceneJob stalled = sceneWork.claim(scene);
    Path stalledDir = sceneWork.workDirectory(stalled);
    Files.writeString(stalledDir.resolve("visual.mp4"), "being written");
    sceneLease.release(stalled); // as if this instance's renewals had fallen behind
    jdbc.sql("update scenes set lease_expires_at = now() - interval '1 second' where id = ?").param(scene.sceneId())
        .update();

    SceneJob takeover = sceneWork.claim(scene);
    assertThat(takeover).as("the lease ran out, so the scene can be claimed again").isNotNull();
    Path takeoverDir = sceneWork.workDirectory(takeover);
    assertThat(takeoverDir).isNotEqualTo(stalledDir);
    assertThat(stalledDir.resolve("visual.mp4")).as("the stalled worker's file is left alone").hasContent("being written");
    assertThat(scenes.holds(scene.sceneId(), stalled.leaseOwner())).as("the stalled claim is lost").isFalse();
    assertThat(sceneWork.complete(stalled)).as("the stalled worker cannot finish the scene").isFalse();
    assertThat(scenes.holds(scene.sceneId(), takeover.leaseOwner())).isTrue();
    videos.cancel(scene.videoId());
    visualsFirst.settled(takeover.sceneId()); // as the route's scene-lease configuration does when its exchange ends
  }

  @Test
  void aHeldSceneLeaseIsRenewedInTheBackgroundUntilTheClaimIsReleased() {
    SceneMessage scene = aGeneratingVideo("pro", 1, "A clock on a kitchen wall").get(0);
    SceneJob held = sceneWork.claim(scene);
    jdbc.sql("update scenes set lease_expires_at = now() + interval '2 seconds' where id = ?").param(scene.sceneId())
        .update();
    await().atMost(Duration.ofSeconds(10)).until(() -> leaseSecondsLeft(scene.sceneId()) > 60);

    sceneLease.release(held);
    jdbc.sql("update scenes set lease_expires_at = now() + interval '2 seconds' where id = ?").param(scene.sceneId())
        .update();
    await("no longer renewed, the lease runs out and a worker takes the scene").atMost(Duration.ofSeconds(30))
        .until(() -> !held.leaseOwner().equals(jdbc.sql("select coalesce(lease_owner, '') from scenes where id = ?")
            .param(scene.sceneId()).query(String.class).single()));
    awaitStatus(scene.videoId(), VideoStatus.SUCCEEDED);
  }

  private double leaseSecondsLeft(UUID sceneId) {
    return jdbc.sql("select extract(epoch from lease_expires_at - now()) from scenes where id = ?").param(sceneId)
        .query(Double.class).single();
  }

  @Test
  void scenesThatAskForSlotsTogetherShareGrantTransactions() throws Exception {
    String provider = "gate-" + UUID.randomUUID();
    providerSlots.setCapacity(provider, 20);
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService askers = Executors.newFixedThreadPool(20);
    try {
      List<Future<ProviderSlots.Lease>> asked = IntStream.range(0, 20)
          .mapToObj(i -> askers.submit(() -> {
            start.await();
            return providerSlots.acquire(provider,
                new ProviderSlots.Request("scene-" + i + ":visual", UUID.randomUUID(), "gate-user-" + i, false, 5),
                () -> true);
          }))
          .toList();
      start.countDown();
      List<ProviderSlots.Lease> leases = new ArrayList<>();
      for (Future<ProviderSlots.Lease> lease : asked) {
        leases.add(lease.get(30, TimeUnit.SECONDS));
      }
      assertThat(leases).as("every scene gets one of the 20 slots").doesNotContainNull();
      DistributionSummary offered = meters.get("reelflow.provider.slots.offered").tag("provider", provider).summary();
      assertThat(offered.count()).as("grant transactions for 20 scenes asking at once (one each when they queued"
          + " for the gate's lock)").isLessThan(10);
      assertThat(providerSlots.usage(provider).inFlight()).isEqualTo(20);
      leases.forEach(providerSlots::release);
      assertThat(providerSlots.usage(provider).inFlight()).isZero();
    } finally {
      askers.shutdownNow();
    }
  }

  @Test
  void aLocalToolsSlotsAreThisInstancesAndNeverARowInTheSharedLedger() throws Exception {
    String tool = "local-music";
    int before = providerSlots.usage(tool).inFlight();
    HttpResponse<String> set = put("/v1/admin/providers/" + tool, ADMIN_TOKEN, "{\"slots\": " + (before + 1) + "}");
    assertThat(set.statusCode()).isEqualTo(200);
    ExecutorService askers = Executors.newFixedThreadPool(1);
    try {
      ProviderSlots.Lease first = providerSlots.acquire(tool,
          new ProviderSlots.Request("music-1:music", UUID.randomUUID(), "local-user-1", false, 5), () -> true);
      assertThat(providerSlots.usage(tool).inFlight()).isEqualTo(before + 1);
      assertThat(jdbc.sql("select count(*) from provider_slot_leases where provider = ?").param(tool)
          .query(Integer.class).single()).as("counted in memory").isZero();
      java.util.concurrent.atomic.AtomicInteger queued = new java.util.concurrent.atomic.AtomicInteger();
      Future<ProviderSlots.Lease> second = askers.submit(() -> providerSlots.acquire(tool,
          new ProviderSlots.Request("music-2:music", UUID.randomUUID(), "local-user-2", false, 5), () -> true,
          queued::incrementAndGet));
      await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> !second.isDone()); // full
      assertThat(queued.get()).as("told once that it was offered slots and got none").isEqualTo(1);

      providerSlots.release(first);

      ProviderSlots.Lease next = second.get(10, TimeUnit.SECONDS);
      assertThat(next.holder()).isEqualTo("music-2:music");
      assertThat(queued.get()).isEqualTo(1);
      providerSlots.release(next);
      assertThat(providerSlots.usage(tool).inFlight()).isEqualTo(before);
    } finally {
      askers.shutdownNow();
      providerSlots.setCapacity(tool, 1); // as configured, here at once
      jdbc.sql("delete from provider_capacity where provider = ?").param(tool).update();
    }
  }

  @Test
  void slotsChangedAtRunTimeBoundTheCallsInFlight() throws Exception {
    HttpResponse<String> unauthorized = put("/v1/admin/providers/sim", "wrong", "{\"slots\": 3}");
    assertThat(unauthorized.statusCode()).isEqualTo(401);
    assertThat(put("/v1/admin/providers/sim", ADMIN_TOKEN, "{\"slots\": -1}").statusCode()).isEqualTo(400);
    assertThat(put("/v1/admin/providers/nope", ADMIN_TOKEN, "{\"slots\": 3}").statusCode()).isEqualTo(404);
    HttpResponse<String> set = put("/v1/admin/providers/sim", ADMIN_TOKEN, "{\"slots\": 3}");
    assertThat(set.statusCode()).isEqualTo(200);
    assertThat(json.readTree(set.body()).get("slots").asInt()).isEqualTo(3);
    SIM.resetPeak();
    List<SceneMessage> planned = aGeneratingVideo("pro", 8, "Mountain bikes on a ridge");

    publish(planned);

    awaitStatus(planned.get(0).videoId(), VideoStatus.SUCCEEDED);
    assertThat(SIM.peakRunning()).as("never more calls than slots").isEqualTo(3);
    JsonNode listed = json.readTree(send(request("/v1/admin/providers", ADMIN_TOKEN)).body());
    assertThat(listed.findValuesAsText("name")).contains("sim", "local-ffmpeg", "local-espeak");
  }

  @Test
  void aTierWhoseScenesWouldWaitTooLongIsToldToComeBackLater() throws Exception {
    List<SceneMessage> backlog = aGeneratingVideo("enterprise", 40, "A backlog nobody works on");
    String key = newKey("enterprise");
    try {
      HttpResponse<String> refused = await().atMost(Duration.ofSeconds(10)).until(
          () -> post("/v1/videos", key, "{\"prompt\": \"A short ad for tea\", \"duration_seconds\": 5}"),
          r -> r.statusCode() == 503);
      assertThat(json.readTree(refused.body()).get("code").asText()).isEqualTo("overloaded");
      assertThat(refused.headers().firstValue("Retry-After")).hasValueSatisfying(v -> assertThat(Long.parseLong(v)).isPositive());
      assertThat(post("/v1/videos", newKey("pro"), "{\"prompt\": \"A short ad for tea\", \"duration_seconds\": 5}")
          .statusCode()).as("another tier's bound is not reached").isEqualTo(202);
    } finally {
      jdbc.sql("delete from videos where id = ?").param(backlog.get(0).videoId()).update();
    }
  }

  private List<SceneMessage> aGeneratingVideo(String tier, int count, String prompt) {
    return aGeneratingVideo("it-" + UUID.randomUUID(), tier,
        IntStream.range(0, count).mapToObj(i -> prompt + ", shot " + i).toList());
  }

  /** A video moved to 'generating' by hand with one two-second scene per visual prompt. */
  private List<SceneMessage> aGeneratingVideo(String user, String tier, List<String> visualPrompts) {
    return planned().video(user, tier, visualPrompts, 2000);
  }

  private void publish(List<SceneMessage> planned) throws Exception {
    planned().publish(planned);
  }

  private HandPlanned planned() {
    return new HandPlanned(videos, scenes, rabbit, json, transactions);
  }

  private void awaitStatus(UUID videoId, VideoStatus status) {
    await().atMost(Duration.ofSeconds(90)).until(() -> videos.find(videoId).orElseThrow().status(), s -> s == status);
  }

  private List<String> providersOf(UUID videoId) {
    return jdbc.sql("select provider from scenes where video_id = ?").param(videoId).query(String.class).list();
  }

  /** The earliest or latest first provider call of a video's scenes. */
  private Timestamp firstCall(UUID videoId, String aggregate) {
    return jdbc.sql("select " + aggregate + "(created_at) from provider_jobs where video_id = ? and provider = 'sim'")
        .param(videoId).query(Timestamp.class).single();
  }

  private String sceneStatus(SceneMessage scene) {
    return jdbc.sql("select status from scenes where id = ?").param(scene.sceneId()).query(String.class).single();
  }

  /** Generations the simulator ran for each scene, over all its idempotency keys. */
  private List<Integer> generationsOf(List<SceneMessage> planned) {
    return planned.stream().map(m -> jdbc.sql("select idempotency_key from provider_jobs where scene_id = ?"
            + " and provider = 'sim'").param(m.sceneId()).query(String.class).list().stream()
        .mapToInt(SIM::generations).sum()).toList();
  }

  private String createPrediction(String idempotencyKey) throws Exception {
    HttpResponse<String> created = HTTP.send(HttpRequest.newBuilder(URI.create(SIM.baseUrl() + "/v1/predictions"))
            .header("Authorization", "Bearer sim-token").header("Content-Type", "application/json")
            .header("Idempotency-Key", idempotencyKey)
            .POST(HttpRequest.BodyPublishers.ofString("{\"version\": \"reelflow/sim:v1\", \"input\": {\"prompt\":"
                + " \"Coffee beans falling\", \"width\": 480, \"height\": 480}}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(created.statusCode()).isEqualTo(201);
    return json.readTree(created.body()).get("id").asText();
  }

  private String predictionStatus(String predictionId) throws Exception {
    HttpResponse<String> prediction = HTTP.send(HttpRequest.newBuilder(
            URI.create(SIM.baseUrl() + "/v1/predictions/" + predictionId)).header("Authorization", "Bearer sim-token")
        .build(), HttpResponse.BodyHandlers.ofString());
    return json.readTree(prediction.body()).get("status").asText();
  }

  private HttpResponse<String> post(String path, String key) throws Exception {
    return post(path, key, "");
  }

  private HttpResponse<String> put(String path, String token, String body) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + token)
        .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
