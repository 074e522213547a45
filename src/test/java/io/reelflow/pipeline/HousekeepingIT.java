package io.reelflow.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.reelflow.storage.MediaStore;
import io.reelflow.video.Assets;
import io.reelflow.video.Outbox;
import io.reelflow.video.Vacuums;
import io.reelflow.video.Video;
import io.reelflow.video.VideoStatus;
import io.reelflow.video.Videos;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Garbage collection and retention against the real database and S3 server, with the collector
 * running every second and a grace period of three seconds.
 */
@AutoConfigureObservability
class HousekeepingIT extends ReelflowIT {

  @DynamicPropertySource
  static void fastCollector(DynamicPropertyRegistry registry) {
    registry.add("reelflow.housekeeping.interval-ms", () -> "1000");
    registry.add("reelflow.maintenance.vacuum-interval-ms", () -> "1000");
    registry.add("reelflow.housekeeping.grace", () -> "3s");
    registry.add("reelflow.housekeeping.retention.pro", () -> "30d");
    registry.add("reelflow.housekeeping.work-max-age", () -> "1h");
    registry.add("reelflow.admin.token", () -> ADMIN_TOKEN);
  }

  static final String ADMIN_TOKEN = "admin-" + UUID.randomUUID();

  @Autowired Videos videos;
  @Autowired Assets assets;
  @Autowired MediaStore store;
  @Autowired JdbcClient jdbc;
  @Autowired Outbox outbox;
  @Autowired Vacuums vacuums;
  @Autowired TransactionTemplate transactions;
  @Autowired CamelContext camel;

  @Test
  void aSucceededVideoPastItsTiersRetentionExpiresKeepingItsMetadata() {
    Video expired = videoWithMedia("succeeded", Duration.ofDays(31));
    Video recent = videoWithMedia("succeeded", Duration.ofDays(29));

    await().atMost(Duration.ofSeconds(20)).until(() -> status(expired) == VideoStatus.EXPIRED);

    assertThat(store.exists(key(expired, "final.mp4"))).isFalse();
    assertThat(store.exists(key(expired, "scene-1.png"))).isFalse();
    assertThat(assetCount(expired)).isZero();
    Video after = videos.find(expired.id()).orElseThrow();
    assertThat(after.prompt()).isEqualTo(expired.prompt());
    assertThat(after.finalVideoKey()).isNull();
    assertThat(jdbc.sql("select count(*) from job_events where video_id = ? and event_type = 'housekeeping.media_deleted'"
        + " and detail->>'reason' = 'expired' and (detail->>'objects')::int = 2").param(expired.id())
        .query(Integer.class).single()).isEqualTo(1);
    assertThat(status(recent)).as("within the pro tier's 30 days").isEqualTo(VideoStatus.SUCCEEDED);
    assertThat(store.exists(key(recent, "final.mp4"))).isTrue();
  }

  @Test
  void theMediaOfAFailedVideoGoesAfterTheGracePeriodAndAnUnnamedObjectIsRemoved() throws Exception {
    Video failed = videoWithMedia("failed", Duration.ofMinutes(1));
    Video running = videoWithMedia("generating", Duration.ofMinutes(1));
    String orphan = "videos/" + UUID.randomUUID() + "/left-behind.bin";
    store.upload(orphan, "nobody names me".getBytes(StandardCharsets.UTF_8), "application/octet-stream");

    await().atMost(Duration.ofSeconds(20)).until(() -> !store.exists(key(failed, "final.mp4")) && !store.exists(orphan));

    assertThat(status(failed)).isEqualTo(VideoStatus.FAILED);
    assertThat(assetCount(failed)).isZero();
    assertThat(store.exists(key(running, "scene-1.png"))).as("a running video's named objects stay").isTrue();
    assertThat(assetCount(running)).isEqualTo(2);
  }

  @Test
  void workDirectoriesLeftByACrashAreDeletedAndFreshOnesKept() throws Exception {
    Path root = Path.of("target/it-data/work");
    Path left = Files.createDirectories(root.resolve(UUID.randomUUID().toString()).resolve("scene"));
    Files.writeString(left.resolve("visual.mp4"), "half a clip");
    Files.setLastModifiedTime(left.getParent(), FileTime.from(Instant.now().minus(Duration.ofHours(2))));
    Path fresh = Files.createDirectories(root.resolve(UUID.randomUUID().toString()));

    await().atMost(Duration.ofSeconds(20)).until(() -> !Files.exists(left.getParent()));

    assertThat(fresh).exists();
    Files.delete(fresh);
  }

  @Test
  void anOutboxEntryIsPublishedWhenItsTransactionCommitsNotAtTheRelaysNextPeriod() throws Exception {
    Video video = videoWithMedia("succeeded", Duration.ofMinutes(1));
    camel.getRouteController().stopRoute("maintenance-wake-outbox-relay");
    try {
      long id = transactions.execute(status -> {
        outbox.enqueue(video.id(), "notify.send", Map.of("videoId", video.id(), "event", "video.succeeded"));
        return jdbc.sql("select max(id) from outbox where aggregate_id = ?").param(video.id()).query(Long.class).single();
      });

      await().atMost(Duration.ofSeconds(10)).until(() -> jdbc.sql("select count(*) = 0 from outbox where id = ?")
          .param(id).query(Boolean.class).single());
    } finally {
      camel.getRouteController().startRoute("maintenance-wake-outbox-relay");
    }
  }

  @Test
  void publishedOutboxEntriesAreDeletedAndTheTableVacuumed() {
    Video video = videoWithMedia("succeeded", Duration.ofMinutes(1));
    java.time.OffsetDateTime before = jdbc.sql("select now()").query(java.time.OffsetDateTime.class).single();
    List<Long> ids = transactions.execute(status -> {
      outbox.enqueue(video.id(), "notify.send", Map.of("videoId", video.id(), "event", "video.succeeded"));
      outbox.enqueue(video.id(), "notify.send", Map.of("videoId", video.id(), "event", "video.succeeded"));
      return jdbc.sql("select id from outbox where aggregate_id = ?").param(video.id()).query(Long.class).list();
    });
    assertThat(ids).hasSize(2);

    await().atMost(Duration.ofSeconds(10)).until(() -> jdbc.sql("select count(*) from outbox where id = any(?)")
        .param(ids.toArray(Long[]::new)).query(Integer.class).single() == 0);
    // the vacuum timer (every second here) vacuums once the relay deleted rows; a vacuum inside a
    // transaction, or by a user that does not own the table, would fail here
    await().atMost(Duration.ofSeconds(20)).until(() -> vacuumedSince("outbox", before));
    assertThat(vacuumedSince("provider_slot_leases", before)).as("no lease was deleted: not vacuumed").isFalse();

    vacuums.deleted("provider_slot_leases", 1); // as SlotLedger.release says when it deleted a lease
    await().atMost(Duration.ofSeconds(20)).until(() -> vacuumedSince("provider_slot_leases", before));
    assertThatThrownBy(() -> vacuums.deleted("videos", 1)).isInstanceOf(IllegalArgumentException.class);
  }

  private boolean vacuumedSince(String table, java.time.OffsetDateTime since) {
    return jdbc.sql("select coalesce(last_vacuum > ?, false) from pg_stat_user_tables where relname = ?")
        .params(since, table).query(Boolean.class).single();
  }

  @Test
  void anOutboxEntryWhoseClaimLapsedIsPublishedAgainAndSaysSo() {
    Video video = videoWithMedia("succeeded", Duration.ofMinutes(1));
    long id = jdbc.sql("insert into outbox (aggregate_id, destination, payload, claimed_until, attempts)"
            + " values (?, 'notify.send', cast(? as jsonb), now() - interval '1 minute', 1) returning id")
        .params(video.id(), "{\"videoId\": \"" + video.id() + "\", \"event\": \"video.succeeded\"}")
        .query(Long.class).single();

    await().atMost(Duration.ofSeconds(20)).until(() -> jdbc.sql("select count(*) = 0 from outbox where id = ?")
        .param(id).query(Boolean.class).single());

    assertThat(jdbc.sql("select count(*) from job_events where video_id = ? and event_type = 'reconciler.outbox_republished'")
        .param(video.id()).query(Integer.class).single()).isEqualTo(1);
    await().atMost(Duration.ofSeconds(20)).until(() -> jdbc.sql("select count(*) from notifications where video_id = ?")
        .param(video.id()).query(Integer.class).single() == 1);
  }

  @Test
  void operatorsSeeTheDaysSuccessRateAndTheMetrics() throws Exception {
    videoWithMedia("failed", Duration.ofMinutes(1));
    jdbc.sql("update videos set error_code = 'render_failed' where status = 'failed' and error_code is null").update();
    Map<String, Object> expected = jdbc.sql("select count(*) filter (where status = 'succeeded') as ok,"
            + " count(*) filter (where status = 'failed') as failed from videos"
            + " where completed_at > now() - interval '24 hours'")
        .query().singleRow();

    HttpResponse<String> refused = send(request("/v1/admin/stats", "not-the-token"));
    HttpResponse<String> stats = send(request("/v1/admin/stats", ADMIN_TOKEN));

    assertThat(refused.statusCode()).isEqualTo(401);
    assertThat(stats.statusCode()).isEqualTo(200);
    JsonNode body = new ObjectMapper().readTree(stats.body());
    long ok = ((Number) expected.get("ok")).longValue();
    long failed = ((Number) expected.get("failed")).longValue();
    assertThat(body.get("finished").get("failed").asLong()).isEqualTo(failed);
    assertThat(body.get("success_rate").asDouble()).isCloseTo((double) ok / (ok + failed), within(1e-9));
    assertThat(body.get("failures_by_code").get("render_failed").asInt()).isPositive();
    assertThat(body.get("queues").has("scene.generate.dlq")).isTrue();
    double cached = jdbc.sql("select (count(*) filter (where cached_from is not null))::float8 / count(*) from videos"
        + " where created_at > now() - interval '24 hours' and coalesce(options->>'cache', 'auto') = 'auto'")
        .query(Double.class).single();
    assertThat(body.get("cache_hit_rate").asDouble()).isCloseTo(cached, within(1e-9));
    String metrics = send(HttpRequest.newBuilder(uri("/actuator/prometheus"))).body();
    assertThat(metrics).contains("reelflow_videos_success_rate_24h", "reelflow_queue_depth", "queue=\"video.plan.dlq\"",
        "reelflow_provider_slots_capacity", "provider=\"local-ffmpeg\"", "reelflow_provider_circuit_state",
        "reelflow_cache_hit_rate_24h");
  }

  @Test
  void logEventsAreCountedByAnAppenderAndNoTurboFilterSlowsEveryLevelCheck() throws Exception {
    ch.qos.logback.classic.LoggerContext context =
        (ch.qos.logback.classic.LoggerContext) org.slf4j.LoggerFactory.getILoggerFactory();
    assertThat(context.getTurboFilterList()).as("Micrometer's LogbackMetrics is excluded").isEmpty();
    assertThat(context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getAppender("reelflow-log-events")).isNotNull();
    double before = warnings();
    org.slf4j.LoggerFactory.getLogger(HousekeepingIT.class).warn("a warning for the log event counter");
    assertThat(warnings()).isEqualTo(before + 1);
  }

  /** logback.events{level="warn"} as the operators' endpoint serves it. */
  private double warnings() throws Exception {
    String metrics = send(HttpRequest.newBuilder(uri("/actuator/prometheus"))).body();
    return metrics.lines().filter(l -> l.startsWith("logback_events_total{") && l.contains("level=\"warn\""))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
  }

  @Test
  void webhookIdsAndKeptWebhooksAreForgottenAfterTheRetention() {
    String old = "sim:msg_" + UUID.randomUUID();
    String recent = "sim:msg_" + UUID.randomUUID();
    for (String id : new String[] {old, recent}) {
      String age = id.equals(old) ? "4 days" : "1 hour";
      jdbc.sql("insert into processed_messages (processorname, messageid, createdat)"
          + " values ('provider-webhooks', ?, now() - cast(? as interval))").params(id, age).update();
      jdbc.sql("insert into inbound_webhooks (provider, webhook_id, payload, received_at)"
          + " values ('sim', ?, '{}', now() - cast(? as interval))").params(id, age).update();
    }

    // maintenance-forget-webhooks runs every second here
    await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.sql("select (select count(*) from processed_messages"
        + " where messageid in (?, ?)) + (select count(*) from inbound_webhooks where webhook_id in (?, ?))")
        .params(old, recent, old, recent).query(Integer.class).single() == 2);

    assertThat(jdbc.sql("select messageid from processed_messages where messageid in (?, ?)").params(old, recent)
        .query(String.class).list()).containsExactly(recent);
    assertThat(jdbc.sql("select webhook_id from inbound_webhooks where webhook_id in (?, ?)").params(old, recent)
        .query(String.class).list()).containsExactly(recent);
  }

  @Test
  void expiredIdempotencyKeysAndOldQuotaHoursAreForgotten() {
    String user = "it-" + UUID.randomUUID();
    for (String key : new String[] {"expired", "live"}) {
      jdbc.sql("insert into idempotency_keys (user_id, idem_key, request_hash, status_code, response, expires_at)"
          + " values (?, ?, 'h', 202, '{}', now() + cast(? as interval))")
          .params(user, key, key.equals("expired") ? "-1 minute" : "23 hours").update();
    }
    for (String ago : new String[] {"3 days", "1 day"}) {
      jdbc.sql("insert into submissions_by_hour (user_id, hour, submitted)"
          + " values (?, date_trunc('hour', now() - cast(? as interval)), 1)").params(user, ago).update();
    }

    // maintenance-forget-expired-requests runs every second here
    await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.sql("select (select count(*) from idempotency_keys where user_id = ?)"
        + " + (select count(*) from submissions_by_hour where user_id = ?)").params(user, user).query(Integer.class).single() == 2);

    assertThat(jdbc.sql("select idem_key from idempotency_keys where user_id = ?").param(user)
        .query(String.class).list()).containsExactly("live");
    assertThat(jdbc.sql("select count(*) from submissions_by_hour where user_id = ?").param(user)
        .query(Integer.class).single()).as("the hour of a day ago still counts toward the quota").isEqualTo(1);
  }

  /** A video of tier pro with two stored, recorded objects, in {@code status} since {@code ago}. */
  private Video videoWithMedia(String status, Duration ago) {
    UUID id = StoredVideo.of("it-" + UUID.randomUUID(), "queued").insert(jdbc);
    Video video = videos.find(id).orElseThrow();
    for (String name : new String[] {"final.mp4", "scene-1.png"}) {
      byte[] bytes = ("media of " + video.id() + " " + name).getBytes(StandardCharsets.UTF_8);
      store.upload(key(video, name), bytes, "application/octet-stream");
      assets.record(new Assets.Asset(video.id(), null, name.startsWith("final") ? "final" : "image", key(video, name),
          "application/octet-stream", bytes.length, null, null, null));
    }
    jdbc.sql("update videos set status = ?, final_video_key = ?, updated_at = now() - make_interval(secs => ?),"
            + " completed_at = case when ? in ('succeeded', 'failed') then now() - make_interval(secs => ?) end"
            + " where id = ?")
        .params(status, key(video, "final.mp4"), ago.toSeconds(), status, ago.toSeconds(), video.id())
        .update();
    return video;
  }

  private VideoStatus status(Video video) {
    return videos.find(video.id()).orElseThrow().status();
  }

  private int assetCount(Video video) {
    return jdbc.sql("select count(*) from assets where video_id = ?").param(video.id()).query(Integer.class).single();
  }

  private static String key(Video video, String name) {
    return "videos/" + video.id() + "/" + name;
  }
}
