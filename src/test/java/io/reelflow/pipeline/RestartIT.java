package io.reelflow.pipeline;

import static io.reelflow.pipeline.PackagedInstances.awaitHealthy;
import static io.reelflow.pipeline.PackagedInstances.count;
import static io.reelflow.pipeline.PackagedInstances.execute;
import static io.reelflow.pipeline.PackagedInstances.query;
import static io.reelflow.pipeline.PackagedInstances.start;
import static io.reelflow.pipeline.PackagedInstances.submit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.reelflow.sim.ProviderSimulator;
import io.reelflow.sim.SimulatorSettings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole application is killed (SIGKILL) in the middle of a video's generation, started
 * again, killed again in the middle of its composition and started again: no finished scene is
 * generated again, no provider job is paid twice, the video is composed and notified exactly once. Runs the packaged jar in its own processes, on its own database and vhost
 * ({@code reelflow_restart}), so no test context of this JVM takes its messages.
 */
class RestartIT {

  static final String DB = PackagedInstances.DB;

  @TempDir Path dir;

  @Test
  void anInstanceKilledWhileGeneratingAndAgainWhileComposingFinishesTheVideoOnce() throws Exception {
    try (ProviderSimulator sim = ProviderSimulator.start(SimulatorSettings.defaults().withSlots(16)
        .withFixedLatency(Duration.ofSeconds(3)).withToken("restart-token"))) {
      int port = FreePorts.next();
      execute("do $$ begin if to_regclass('videos') is not null then truncate videos, outbox, scene_barrier,"
          + " scene_barrier_completed, provider_capacity, provider_slot_leases cascade; end if; end $$");
      Process first = start(dir, sim, port);
      Process second = null;
      Process third = null;
      try {
        awaitHealthy(port);
        String key = Files.readString(dir.resolve("local-api-key")).strip();
        String videoId = submit(port, key);
        await().atMost(Duration.ofSeconds(90)).until(() -> count("select count(*) from scenes where video_id = '"
            + videoId + "' and status = 'succeeded'") >= 2);

        first.destroyForcibly().waitFor();
        int finishedBeforeKill = count("select count(*) from scenes where video_id = '" + videoId
            + "' and status = 'succeeded'");
        assertThat(finishedBeforeKill).as("killed mid-video").isBetween(2, 5);

        second = start(dir, sim, port);
        awaitHealthy(port);
        Path composing = dir.resolve("work").resolve(videoId).resolve("compose");
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(50)).until(() -> Files.exists(composing));

        second.destroyForcibly().waitFor();
        assertThat(count("select count(*) from videos where id = '" + videoId + "' and status = 'composing'"))
            .as("killed while composing").isEqualTo(1);

        third = start(dir, sim, port);
        awaitHealthy(port);
        await().atMost(Duration.ofSeconds(120)).until(
            () -> count("select count(*) from videos where id = '" + videoId + "' and status = 'succeeded'") == 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> count("select count(*) from notifications where video_id = '"
            + videoId + "'") > 0);

        for (Map.Entry<String, List<String>> scene : providerKeys(videoId).entrySet()) {
          assertThat(scene.getValue().stream().mapToInt(sim::generations).sum())
              .as("generations of scene %s", scene.getKey()).isEqualTo(1);
        }
        assertThat(count("select count(*) from job_events where video_id = '" + videoId
            + "' and event_type in ('video.composing', 'video.succeeded')")).as("composed once").isEqualTo(2);
        assertThat(count("select count(*) from assets where video_id = '" + videoId + "' and asset_type = 'final'"))
            .isEqualTo(1);
        Thread.sleep(1000);
        assertThat(count("select count(*) from notifications where video_id = '" + videoId
            + "' and event_type = 'video.succeeded'")).as("one completion notification").isEqualTo(1);
        assertThat(count("select count(*) from notifications where video_id = '" + videoId + "'")).isEqualTo(1);
      } finally {
        for (Process process : java.util.Arrays.asList(first, second, third)) {
          if (process != null) {
            process.destroyForcibly().waitFor();
          }
        }
      }
    }
  }

  @Test
  void aRabbitMqRestartMidVideoIsRiddenOut() throws Exception {
    try (ProviderSimulator sim = ProviderSimulator.start(SimulatorSettings.defaults().withSlots(16)
        .withFixedLatency(Duration.ofSeconds(2)).withToken("restart-token"))) {
      int port = FreePorts.next();
      Process app = start(dir, sim, port);
      try {
        awaitHealthy(port);
        String key = Files.readString(dir.resolve("local-api-key")).strip();
        String videoId = submit(port, key);
        await().atMost(Duration.ofSeconds(90)).until(() -> count("select count(*) from scenes where video_id = '"
            + videoId + "' and status = 'succeeded'") >= 1);

        rabbitmqctl("stop_app");
        try {
          Thread.sleep(3000);
        } finally {
          rabbitmqctl("start_app");
        }

        await().atMost(Duration.ofSeconds(180)).until(
            () -> count("select count(*) from videos where id = '" + videoId + "' and status = 'succeeded'") == 1);
        for (Map.Entry<String, List<String>> scene : providerKeys(videoId).entrySet()) {
          assertThat(scene.getValue().stream().mapToInt(sim::generations).sum())
              .as("generations of scene %s", scene.getKey()).isEqualTo(1);
        }
      } finally {
        app.destroyForcibly().waitFor();
      }
    }
  }

  @Test
  void anInstanceKilledWhileAReceiverHoldsTheWebhookSendsItAgainWithTheSameId() throws Exception {
    List<String> ids = java.util.Collections.synchronizedList(new ArrayList<>());
    com.sun.net.httpserver.HttpServer receiver =
        com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
    receiver.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    receiver.createContext("/hook", exchange -> {
      ids.add(exchange.getRequestHeaders().getFirst("webhook-id"));
      exchange.getRequestBody().readAllBytes();
      if (ids.size() == 1) {
        try {
          Thread.sleep(60_000); // received, not yet answered: the sender dies in this window
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      exchange.sendResponseHeaders(204, -1);
      exchange.close();
    });
    receiver.start();
    try (ProviderSimulator sim = ProviderSimulator.start(SimulatorSettings.defaults().withSlots(16)
        .withFixedLatency(Duration.ofMillis(200)).withToken("restart-token"))) {
      int port = FreePorts.next();
      List<String> notify = List.of("--reelflow.net.allowed-hosts=127.0.0.1",
          "--reelflow.notifications.initial-backoff=200ms", "--reelflow.notifications.retry-interval-ms=200",
          "--reelflow.notifications.claim-seconds=2",
          "--reelflow.notifications.mail.directory=" + dir.resolve("mail"),
          "--reelflow.notifications.push.directory=" + dir.resolve("push"));
      Process first = start(dir, sim, port, notify);
      Process second = null;
      try {
        awaitHealthy(port);
        String key = Files.readString(dir.resolve("local-api-key")).strip();
        String hook = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
        String videoId = submit(port, key, ", \"callback_url\": \"" + hook + "\", \"notify\": {\"email\":"
            + " \"dee@example.com\", \"push_token\": \"device-1\"}");
        await().atMost(Duration.ofSeconds(120)).until(() -> ids.size() == 1);

        first.destroyForcibly().waitFor();
        second = start(dir, sim, port, notify);
        awaitHealthy(port);
        await().atMost(Duration.ofSeconds(60)).until(() -> ids.size() >= 2);
        await().atMost(Duration.ofSeconds(20)).until(() -> count("select count(*) from notifications where video_id = '"
            + videoId + "' and channel = 'webhook' and status = 'sent'") == 1);

        assertThat(ids).as("sent again after the crash, with the same webhook-id").hasSize(2);
        assertThat(ids.get(1)).isEqualTo(ids.get(0));
        assertThat(count("select count(*) from notifications where video_id = '" + videoId
            + "' and event_type = 'video.succeeded'")).as("feed, webhook, email, push").isEqualTo(4);
        String mailId = query("select message_id from notifications where video_id = '" + videoId
            + "' and channel = 'email'");
        try (var mails = Files.list(dir.resolve("mail"))) {
          List<Path> written = mails.toList();
          assertThat(written).hasSize(1);
          assertThat(Files.readString(written.get(0))).contains("Message-ID: <" + mailId + "@reelflow>")
              .contains("To: dee@example.com").contains("multipart/alternative");
        }
        try (var pushes = Files.list(dir.resolve("push"))) {
          List<Path> written = pushes.toList();
          assertThat(written).hasSize(1);
          assertThat(Files.readString(written.get(0))).contains("\"token\":\"device-1\"");
        }
      } finally {
        first.destroyForcibly().waitFor();
        if (second != null) {
          second.destroyForcibly().waitFor();
        }
      }
    } finally {
      receiver.stop(0);
    }
  }

  private static void rabbitmqctl(String command) throws Exception {
    Process ctl = new ProcessBuilder("rabbitmqctl", command).redirectErrorStream(true).start();
    String output = new String(ctl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(ctl.waitFor()).as("rabbitmqctl %s: %s", command, output).isZero();
  }

  private static Map<String, List<String>> providerKeys(String videoId) throws SQLException {
    Map<String, List<String>> keys = new HashMap<>();
    try (Connection c = DriverManager.getConnection(DB, "reelflow", "reelflow"); ResultSet rs = c.createStatement().executeQuery(
        "select scene_id::text, idempotency_key from provider_jobs where provider = 'sim' and video_id = '" + videoId + "'")) {
      while (rs.next()) {
        keys.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(rs.getString(2));
      }
    }
    assertThat(keys).hasSize(6);
    return keys;
  }

}
