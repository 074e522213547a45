package io.reelflow.pipeline;

import static io.reelflow.pipeline.PackagedInstances.DB;
import static io.reelflow.pipeline.PackagedInstances.HTTP;
import static io.reelflow.pipeline.PackagedInstances.awaitHealthy;
import static io.reelflow.pipeline.PackagedInstances.count;
import static io.reelflow.pipeline.PackagedInstances.execute;
import static io.reelflow.pipeline.PackagedInstances.start;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.reelflow.sim.ProviderSimulator;
import io.reelflow.sim.SimulatorSettings;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two instances of the packaged jar on one PostgreSQL, RabbitMQ and S3 (the first instance's
 * in-process S3 server, which the second uses as an external endpoint), 50 videos submitted
 * across both: every video succeeds, both instances generate scenes, no scene is generated twice,
 * every barrier opens once, and a video's events stream from the instance that did not make it.
 * Every timer (outbox relay, reconciler, lease sweeper, housekeeping) runs on both.
 */
class ScaleOutIT {

  @TempDir Path dir;

  @Test
  void twoInstancesShareTheWorkAndMakeEveryVideoOnce() throws Exception {
    try (ProviderSimulator sim = ProviderSimulator.start(SimulatorSettings.defaults().withSlots(32)
        .withFixedLatency(Duration.ofMillis(500)).withToken("restart-token"))) {
      execute("do $$ begin if to_regclass('videos') is not null then truncate videos, outbox, scene_barrier,"
          + " scene_barrier_completed, provider_capacity, provider_slot_leases cascade; end if; end $$");
      int s3 = FreePorts.next();
      int portA = FreePorts.next();
      int portB = FreePorts.next();
      List<String> shared = List.of("--reelflow.providers.remote.sim.slots=8", "--reelflow.generation.workers=6",
          "--reelflow.providers.per-user-scenes=20", "--reelflow.api.tiers.pro.max-unfinished=100",
          "--reelflow.api.tiers.pro.burst=100", "--reelflow.api.tiers.pro.per-minute=6000");
      List<String> a = new ArrayList<>(shared);
      a.add("--reelflow.storage.embedded-port=" + s3);
      List<String> b = new ArrayList<>(shared);
      b.add("--reelflow.storage.endpoint=http://127.0.0.1:" + s3);
      Files.createDirectories(dir.resolve("a"));
      Files.createDirectories(dir.resolve("b"));
      Process first = start(dir.resolve("a"), sim, portA, a);
      Process second = null;
      try {
        awaitHealthy(portA);
        second = start(dir.resolve("b"), sim, portB, b);
        awaitHealthy(portB);
        String key = Files.readString(dir.resolve("a").resolve("local-api-key")).strip();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
          ids.add(submit(i % 2 == 0 ? portA : portB, key, "A 10-second ad for harbour boat tour number " + i));
        }

        await().atMost(Duration.ofMinutes(6)).pollInterval(Duration.ofSeconds(2)).until(() ->
            count("select count(*) from videos where status in ('succeeded', 'failed', 'canceled')") == 50);

        assertThat(count("select count(*) from videos where status = 'succeeded'")).isEqualTo(50);
        Set<String> workers = new HashSet<>(strings(
            "select distinct split_part(detail->>'worker', '/', 1) from job_events where event_type = 'scene.started'"));
        assertThat(workers).as("both instances generated scenes").hasSize(2);
        assertThat(count("select count(*) from scenes")).isEqualTo(100);
        for (String idempotencyKey : strings(
            "select idempotency_key from provider_jobs where status = 'succeeded' and provider = 'sim'")) {
          assertThat(sim.generations(idempotencyKey)).as("generations of %s", idempotencyKey).isEqualTo(1);
        }
        assertThat(count("select count(*) from (select scene_id, capability from provider_jobs where status = 'succeeded'"
            + " group by scene_id, capability having count(*) > 1) twice")).as("no scene generated twice").isZero();
        assertThat(count("select count(*) from (select video_id from job_events where event_type = 'video.composing'"
            + " group by video_id having count(*) = 1) once")).as("every barrier opened once").isEqualTo(50);

        String video = ids.get(0);
        String workerOfA = strings("select detail->>'worker' from job_events where event_type = 'scene.started'"
            + " and video_id = '" + video + "' limit 1").get(0);
        int elsewhere = workerOfA.startsWith(String.valueOf(first.pid()) + "@") ? portB : portA;
        List<ServerSentEvent> events = ServerSentEvent.collect(HTTP, HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + elsewhere + "/v1/videos/" + video + "/events"))
            .header("Authorization", "Bearer " + key)).get(30, TimeUnit.SECONDS);
        assertThat(events).extracting(ServerSentEvent::event).startsWith("video.queued").endsWith("video.succeeded");
      } finally {
        first.destroyForcibly().waitFor();
        if (second != null) {
          second.destroyForcibly().waitFor();
        }
      }
    }
  }

  private static String submit(int port, String key, String prompt) throws Exception {
    HttpResponse<String> accepted = HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/videos"))
            .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"prompt\": \"" + prompt + "\", \"duration_seconds\": 10,"
                + " \"aspect_ratio\": \"1:1\", \"resolution\": \"480p\", \"music\": false, \"captions\": false,"
                + " \"cache\": \"off\"}", StandardCharsets.UTF_8))
            .build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
    return accepted.body().replaceAll("(?s).*\"id\"\\s*:\\s*\"([0-9a-f-]{36})\".*", "$1");
  }

  private static List<String> strings(String sql) throws Exception {
    List<String> values = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(DB, "reelflow", "reelflow");
        ResultSet rs = c.createStatement().executeQuery(sql)) {
      while (rs.next()) {
        values.add(rs.getString(1));
      }
    }
    return values;
  }
}
