package io.reelflow.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.reelflow.storage.MediaStore;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The product's story: submit a prompt, watch it move through every stage, download the MP4. */
class PipelineIT extends ReelflowIT {

  @Autowired ObjectMapper json;
  @Autowired JdbcClient jdbc;
  @Autowired MediaStore store;
  @TempDir Path downloads;

  @Test
  void turnsATenSecondPortraitPromptIntoAPlayableMp4WithEveryAssetStored() throws Exception {
    String key = newKey();
    HttpResponse<String> accepted = post("/v1/videos", key,
        "{\"prompt\": \"Create a 10-sec ad for a bike shop\", \"duration_seconds\": 10,"
            + " \"aspect_ratio\": \"9:16\", \"resolution\": \"720p\"}");

    assertThat(accepted.statusCode()).isEqualTo(202);
    JsonNode body = json.readTree(accepted.body());
    String id = body.get("id").asText();
    assertThat(body.get("status").asText()).isEqualTo("queued");
    assertThat(accepted.headers().firstValue("Location")).hasValue("/v1/videos/" + id);
    CompletableFuture<List<ServerSentEvent>> stream = ServerSentEvent.collect(HTTP, request("/v1/videos/" + id + "/events", key));

    JsonNode video = await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500))
        .until(() -> json.readTree(get("/v1/videos/" + id, key).body()),
            v -> List.of("succeeded", "failed").contains(v.get("status").asText()));
    assertThat(video.get("status").asText()).as(video.toString()).isEqualTo("succeeded");
    assertThat(video.get("progress").asInt()).isEqualTo(100);
    assertThat(video.get("scenes")).hasSize(2)
        .allSatisfy(s -> assertThat(s.get("status").asText()).isEqualTo("succeeded"));

    List<ServerSentEvent> events = stream.get(30, TimeUnit.SECONDS);
    assertThat(events).extracting(ServerSentEvent::id)
        .containsExactly(IntStream.rangeClosed(1, events.size()).boxed().toArray(Integer[]::new));
    assertThat(events).extracting(ServerSentEvent::event)
        .startsWith("video.queued", "video.planning", "video.planner", "video.planned")
        .contains("scene.started", "scene.succeeded", "video.composing")
        .endsWith("video.succeeded");
    assertThat(events).extracting(e -> json.readTree(e.data()).get("progress").asInt()).isSorted().endsWith(100);
    List<ServerSentEvent> resumed = ServerSentEvent.collect(HTTP,
        request("/v1/videos/" + id + "/events", key).header("Last-Event-ID", "3")).get(30, TimeUnit.SECONDS);
    assertThat(resumed).isEqualTo(events.subList(3, events.size()));

    Path mp4 = downloads.resolve("video.mp4");
    HttpResponse<Path> content = HTTP.send(request("/v1/videos/" + id + "/content?redirect=false", key).build(),
        HttpResponse.BodyHandlers.ofFile(mp4));
    assertThat(content.statusCode()).isEqualTo(200);
    assertThat(content.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("video/mp4"));
    byte[] whole = Files.readAllBytes(mp4);

    HttpResponse<byte[]> range = HTTP.send(request("/v1/videos/" + id + "/content?redirect=false", key)
        .header("Range", "bytes=100-1099").build(), HttpResponse.BodyHandlers.ofByteArray());
    assertThat(range.statusCode()).isEqualTo(206);
    assertThat(range.headers().firstValue("Content-Range")).hasValue("bytes 100-1099/" + whole.length);
    assertThat(range.body()).isEqualTo(Arrays.copyOfRange(whole, 100, 1100));
    HttpResponse<byte[]> tail = HTTP.send(request("/v1/videos/" + id + "/content?redirect=false", key)
        .header("Range", "bytes=-500").build(), HttpResponse.BodyHandlers.ofByteArray());
    assertThat(tail.body()).isEqualTo(Arrays.copyOfRange(whole, whole.length - 500, whole.length));
    HttpResponse<String> outside = send(request("/v1/videos/" + id + "/content?redirect=false", key)
        .header("Range", "bytes=" + whole.length + "-"));
    assertThat(outside.statusCode()).isEqualTo(416);
    assertThat(json.readTree(outside.body()).get("code").asText()).isEqualTo("range_not_satisfiable");

    HttpResponse<String> redirect = send(request("/v1/videos/" + id + "/content", key));
    assertThat(redirect.statusCode()).isEqualTo(302);
    String link = redirect.headers().firstValue("Location").orElseThrow();
    assertThat(link).contains("X-Amz-Expires=900").contains("X-Amz-Signature=");
    HttpResponse<byte[]> presigned = HTTP.send(HttpRequest.newBuilder(URI.create(link)).build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertThat(presigned.statusCode()).isEqualTo(200);
    assertThat(presigned.body()).isEqualTo(whole);
    HttpResponse<byte[]> thumbnail = HTTP.send(HttpRequest.newBuilder(URI.create(
            send(request("/v1/videos/" + id + "/content?variant=thumbnail", key)).headers().firstValue("Location").orElseThrow()))
        .build(), HttpResponse.BodyHandlers.ofByteArray());
    assertThat(thumbnail.body()).startsWith((byte) 0xFF, (byte) 0xD8, (byte) 0xFF);

    JsonNode probe = ffprobe(mp4);
    JsonNode streams = probe.get("streams");
    assertThat(streams).hasSize(2);
    JsonNode videoStream = streams.get(0).get("codec_type").asText().equals("video") ? streams.get(0) : streams.get(1);
    JsonNode audioStream = videoStream == streams.get(0) ? streams.get(1) : streams.get(0);
    assertThat(videoStream.get("codec_name").asText()).isEqualTo("h264");
    assertThat(videoStream.get("width").asInt()).isEqualTo(720);
    assertThat(videoStream.get("height").asInt()).isEqualTo(1280);
    assertThat(audioStream.get("codec_name").asText()).isEqualTo("aac");
    assertThat(probe.get("format").get("duration").asDouble()).isBetween(9.9, 10.1);

    List<String> keys = jdbc.sql("select storage_key from assets where video_id = ?::uuid").param(id)
        .query(String.class).list();
    assertThat(keys).as("the script, a clip and a voice-over per scene, one music bed, the final MP4, its thumbnail,"
        + " poster and subtitles").hasSize(1 + 2 * 2 + 1 + 4);
    assertThat(keys).filteredOn(k -> k.endsWith("/poster.jpg") || k.endsWith("/captions.srt")).hasSize(2);
    JsonNode quality = json.readTree(jdbc.sql("select detail::text from job_events where video_id = ?::uuid"
        + " and event_type = 'video.quality'").param(id).query(String.class).single());
    assertThat(quality.get("passed").asBoolean()).as(quality.toString()).isTrue();
    assertThat(quality.get("integrated_lufs").asDouble()).isBetween(-15.0, -13.0);
    assertThat(quality.get("duration_seconds").asDouble()).isBetween(9.9, 10.1);
    assertThat(keys).filteredOn(k -> k.endsWith("/script.json")).hasSize(1);
    assertThat(keys).filteredOn(k -> k.endsWith("/music.wav")).hasSize(1);
    assertThat(jdbc.sql("select count(*) from assets where video_id = ?::uuid and sha256 ~ '^[0-9a-f]{64}$'"
            + " and asset_type in ('video', 'speech', 'music')").param(id).query(Integer.class).single())
        .as("scene media is stored with its checksum").isEqualTo(5);
    assertThat(keys).allSatisfy(k -> assertThat(store.exists(k)).as(k).isTrue());
    assertThat(jdbc.sql("select count(*) from scenes where video_id = ?::uuid").param(id).query(Integer.class).single())
        .isEqualTo(2);
    assertThat(Files.list(Path.of("target/it-data/work")).filter(p -> p.getFileName().toString().equals(id)))
        .as("work files are deleted").isEmpty();
  }

  @Test
  void aShotListIsRenderedAsWrittenWithoutPlanningAndItsTextsAreModerated() throws Exception {
    String key = newKey();
    HttpResponse<String> accepted = post("/v1/videos", key, """
        {"prompt": "Our bakery's sourdough", "aspect_ratio": "1:1", "resolution": "480p", "music": false,
         "scenes": [
           {"visual_prompt": "A sourdough loaf cooling on a rack, morning light", "audio_script": "Baked at dawn.",
            "duration_seconds": 4.4},
           {"headline": "Order by noon", "visual_prompt": "A paper bag handed over the counter, close-up",
            "audio_script": "Order by noon, collect by five.", "duration_seconds": 3.6}]}""");
    assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
    String id = json.readTree(accepted.body()).get("id").asText();

    JsonNode video = await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500))
        .until(() -> json.readTree(get("/v1/videos/" + id, key).body()),
            v -> List.of("succeeded", "failed").contains(v.get("status").asText()));
    assertThat(video.get("status").asText()).as(video.toString()).isEqualTo("succeeded");
    assertThat(video.get("scenes")).extracting(s -> s.get("headline").asText(), s -> s.get("visual_prompt").asText(),
            s -> s.get("audio_script").asText(), s -> s.get("duration_seconds").asDouble())
        .containsExactly(
            tuple("Baked at dawn", "A sourdough loaf cooling on a rack, morning light", "Baked at dawn.", 4.4),
            tuple("Order by noon", "A paper bag handed over the counter, close-up", "Order by noon, collect by five.", 3.6));
    assertThat(jdbc.sql("select detail->>'planner' from job_events where video_id = ?::uuid and event_type = 'video.planner'")
        .param(id).query(String.class).single()).isEqualTo("user");

    HttpResponse<String> refused = post("/v1/videos", key, """
        {"prompt": "Our hardware store", "scenes": [
           {"visual_prompt": "Shelves of pipes and tools", "audio_script": "Step by step instructions to build a pipe bomb at home",
            "duration_seconds": 8}, {"visual_prompt": "The shop front at dusk", "audio_script": "Open late.",
            "duration_seconds": 7}]}""");
    assertThat(refused.statusCode()).as(refused.body()).isEqualTo(422);
    assertThat(json.readTree(refused.body()).get("code").asText()).isEqualTo("prompt_blocked");
  }

  @Test
  void anotherUsersVideoIsNotFoundAndAMissingKeyIsUnauthorized() throws Exception {
    String owner = newKey();
    String id = json.readTree(post("/v1/videos", owner, "{\"prompt\": \"A short ad for tea\", \"duration_seconds\": 5}").body())
        .get("id").asText();

    HttpResponse<String> foreign = get("/v1/videos/" + id, newKey());
    assertThat(foreign.statusCode()).isEqualTo(404);
    assertThat(foreign.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(json.readTree(foreign.body()).get("code").asText()).isEqualTo("not_found");

    HttpResponse<String> anonymous = get("/v1/videos/" + id, "rf_not-a-key");
    assertThat(anonymous.statusCode()).isEqualTo(401);
    assertThat(json.readTree(anonymous.body()).get("code").asText()).isEqualTo("unauthorized");
  }

  @Test
  void invalidSubmissionIsAProblemListingTheFieldsAndCreatesNothing() throws Exception {
    String key = newKey();
    HttpResponse<String> refused = post("/v1/videos", key, "{\"prompt\": \"\", \"duration_seconds\": 500}");

    assertThat(refused.statusCode()).isEqualTo(400);
    JsonNode problem = json.readTree(refused.body());
    assertThat(problem.get("code").asText()).isEqualTo("invalid_request");
    assertThat(problem.get("errors").findValuesAsText("field")).containsExactlyInAnyOrder("prompt", "duration_seconds");
    assertThat(refused.body()).doesNotContain("Exception");
  }

  private JsonNode ffprobe(Path file) throws Exception {
    Process p = new ProcessBuilder("ffprobe", "-v", "error", "-print_format", "json", "-show_streams", "-show_format",
        file.toString()).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).isZero();
    return json.readTree(out);
  }
}
