package io.reelflow.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.reelflow.storage.MediaStore;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Scene editing on a real video (ffmpeg, espeak-ng, S3, PostgreSQL, RabbitMQ): a 12 s, three-scene
 * shot list is made once, then trimmed, given a new voice-over and reordered, each edit a new
 * version while the earlier ones stay downloadable. The edits build on each other, in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SceneEditingIT extends ReelflowIT {

  static final String SHOT_LIST = """
      {"prompt": "Our bakery's sourdough", "duration_seconds": 12, "aspect_ratio": "1:1", "resolution": "480p",
       "music": false, "captions": true, "cache": "off", "scenes": [
         {"visual_prompt": "A sourdough loaf cooling on a rack, morning light", "audio_script": "Baked at dawn, every single day.",
          "duration_seconds": 4},
         {"visual_prompt": "A paper bag handed over the counter, close-up", "audio_script": "Wrapped warm for you to take home.",
          "duration_seconds": 4},
         {"visual_prompt": "The bakery's front window at dusk, lights on", "audio_script": "Open until seven, see you soon.",
          "duration_seconds": 4}]}""";
  static final String NEW_SCRIPT = "Crackling crust, soft crumb, pure joy.";

  @Autowired ObjectMapper json;
  @Autowired JdbcClient jdbc;
  @Autowired MediaStore store;
  @TempDir Path downloads;

  static String key;
  static String id;
  static byte[] firstVersion;

  /** The video every test edits, made before the first (Camel's routes start with the first test, not before). */
  @BeforeEach
  void aFinishedThreeSceneVideo() throws Exception {
    if (id != null) {
      return;
    }
    key = newKey();
    HttpResponse<String> accepted = post("/v1/videos", key, SHOT_LIST);
    assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
    id = json.readTree(accepted.body()).get("id").asText();
    JsonNode video = awaitVersion(1);
    assertThat(video.get("status").asText()).as(video.toString()).isEqualTo("succeeded");
    firstVersion = download("/content?redirect=false");
  }

  @Test
  @Order(1)
  void aTrimRecomposesOnlyAndShortensTheVideoByTheTrimmedAmount() throws Exception {
    List<Map<String, Object>> sceneAssets = sceneAssets();
    int jobs = count("select count(*) from provider_jobs where video_id = ?::uuid");
    int charges = count("select count(*) from cost_ledger where video_id = ?::uuid");
    // the relay deletes an outbox row once published: a trigger logs the rows written meanwhile
    jdbc.sql("create table if not exists it_outbox_log (aggregate_id uuid, destination text)").update();
    jdbc.sql("create or replace function it_log_outbox() returns trigger language plpgsql as"
        + " $$ begin insert into it_outbox_log values (new.aggregate_id, new.destination); return new; end $$").update();
    jdbc.sql("drop trigger if exists it_outbox_log on outbox").update();
    jdbc.sql("create trigger it_outbox_log after insert on outbox for each row execute function it_log_outbox()").update();
    try {
      trimRecomposesOnly(sceneAssets, jobs, charges);
    } finally {
      jdbc.sql("drop trigger if exists it_outbox_log on outbox").update();
      jdbc.sql("drop function if exists it_log_outbox()").update();
      jdbc.sql("drop table if exists it_outbox_log").update();
    }
  }

  private void trimRecomposesOnly(List<Map<String, Object>> sceneAssets, int jobs, int charges) throws Exception {

    HttpResponse<String> trimmed = patch("/scenes/1", "{\"trim_in_seconds\": 0.5, \"trim_out_seconds\": 3.0}");

    assertThat(trimmed.statusCode()).as(trimmed.body()).isEqualTo(202);
    JsonNode accepted = json.readTree(trimmed.body());
    assertThat(accepted.get("status").asText()).isEqualTo("composing");
    assertThat(accepted.get("next_version").asInt()).isEqualTo(2);
    assertThat(accepted.get("regenerating")).isEmpty();
    assertProblem(patch("/scenes/0", "{\"trim_out_seconds\": 3.0}"), 409, "video_busy");

    JsonNode video = awaitVersion(2);
    assertThat(video.get("status").asText()).as(video.toString()).isEqualTo("succeeded");
    JsonNode scene = video.get("scenes").get(1);
    assertThat(scene.get("trim_in_seconds").asDouble()).as("0.5 s on a whole frame").isEqualTo(0.52);
    assertThat(scene.get("trim_out_seconds").asDouble()).isEqualTo(3.0);
    double before = duration(firstVersion);
    double after = duration(download("/content?redirect=false"));
    assertThat(before - after).as("shorter by the 1.52 s trimmed").isBetween(1.4, 1.6);
    assertThat(sceneAssets()).as("every scene's media is kept: the trim is applied when composing")
        .isEqualTo(sceneAssets);
    assertThat(count("select count(*) from provider_jobs where video_id = ?::uuid")).isEqualTo(jobs);
    assertThat(count("select count(*) from cost_ledger where video_id = ?::uuid")).isEqualTo(charges);
    assertThat(count("select count(*) from outbox where aggregate_id = ?::uuid and destination = 'video.compose'")
        + count("select count(*) from it_outbox_log where aggregate_id = ?::uuid and destination = 'video.compose'"))
        .as("the trigger saw the recomposition's message").isPositive();
    assertThat(count("select count(*) from it_outbox_log where aggregate_id = ?::uuid and destination = 'notify.send'"))
        .as("a new version is not notified").isZero();

    assertThat(download("/content?version=1&redirect=false")).as("version 1 is kept as it was").isEqualTo(firstVersion);
    String link = send(request("/v1/videos/" + id + "/content?version=1", key)).headers().firstValue("Location")
        .orElseThrow();
    assertThat(HTTP.send(HttpRequest.newBuilder(URI.create(link)).build(), HttpResponse.BodyHandlers.ofByteArray())
        .body()).isEqualTo(firstVersion);
    JsonNode versions = json.readTree(get("/v1/videos/" + id + "/versions", key).body());
    assertThat(versions.get("current_version").asInt()).isEqualTo(2);
    assertThat(versions.get("versions")).extracting(v -> v.get("version").asInt()).containsExactly(1, 2);
    JsonNode second = versions.get("versions").get(1);
    assertThat(second.get("changes").get(0).get("action").asText()).isEqualTo("edit");
    assertThat(second.get("changes").get(0).get("fields")).extracting(JsonNode::asText)
        .containsExactly("trim_in_seconds", "trim_out_seconds");
    assertThat(second.get("duration_seconds").asDouble()).isEqualTo(10.48);
    assertThat(second.get("links").get("content").asText()).endsWith("/content?version=2");
  }

  @Test
  @Order(2)
  void aNewVoiceOverRegeneratesOnlyThatScenesSpeechAndItsCaptions() throws Exception {
    List<Map<String, Object>> sceneAssets = sceneAssets();
    int visualJobs = count("select count(*) from provider_jobs where video_id = ?::uuid and capability = 'visual'");
    int speechJobs = count("select count(*) from provider_jobs where video_id = ?::uuid and capability = 'speech'");

    HttpResponse<String> edited = patch("/scenes/0", "{\"audio_script\": \"" + NEW_SCRIPT + "\"}");

    assertThat(edited.statusCode()).as(edited.body()).isEqualTo(202);
    JsonNode accepted = json.readTree(edited.body());
    assertThat(accepted.get("status").asText()).isEqualTo("generating");
    assertThat(accepted.get("regenerating").get(0).get("sequence").asInt()).isZero();
    assertThat(accepted.get("regenerating").get(0).get("capabilities")).extracting(JsonNode::asText)
        .containsExactly("speech");
    JsonNode video = awaitVersion(3);
    assertThat(video.get("status").asText()).as(video.toString()).isEqualTo("succeeded");

    assertThat(count("select count(*) from provider_jobs where video_id = ?::uuid and capability = 'visual'"))
        .isEqualTo(visualJobs);
    assertThat(count("select count(*) from provider_jobs where video_id = ?::uuid and capability = 'speech'"))
        .as("one new speech generation").isEqualTo(speechJobs + 1);
    assertThat(jdbc.sql("select count(distinct idempotency_key) from provider_jobs j join scenes s on s.id = j.scene_id"
        + " where j.video_id = ?::uuid and s.sequence_number = 0 and j.capability = 'speech'").param(id)
        .query(Integer.class).single()).as("a new job, not the stored one").isEqualTo(2);
    List<Map<String, Object>> now = sceneAssets();
    assertThat(now).filteredOn(a -> !(a.get("sequence_number").equals(0) && a.get("asset_type").equals("speech")))
        .isEqualTo(sceneAssets.stream()
            .filter(a -> !(a.get("sequence_number").equals(0) && a.get("asset_type").equals("speech"))).toList());
    assertThat(sha256(now, 0, "speech")).isNotEqualTo(sha256(sceneAssets, 0, "speech"));
    assertThat(video.get("scenes").get(0).get("audio_script").asText()).isEqualTo(NEW_SCRIPT);
    assertThat(subtitles()).as("the captions say the new voice-over").contains("Crackling crust")
        .doesNotContain("Baked at dawn");
  }

  @Test
  @Order(3)
  void aNewOrderIsShownInTheDocumentAndTheCaptions() throws Exception {
    int jobs = count("select count(*) from provider_jobs where video_id = ?::uuid");

    HttpResponse<String> reordered = send(request("/v1/videos/" + id + "/scenes/order", key)
        .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString("{\"order\": [2, 0, 1]}")));

    assertThat(reordered.statusCode()).as(reordered.body()).isEqualTo(202);
    assertThat(json.readTree(reordered.body()).get("status").asText()).isEqualTo("composing");
    JsonNode video = awaitVersion(4);
    assertThat(video.get("status").asText()).as(video.toString()).isEqualTo("succeeded");
    assertThat(video.get("scenes")).extracting(s -> s.get("sequence").asInt()).containsExactly(2, 0, 1);
    assertThat(video.get("scenes")).extracting(s -> s.get("display_order").asInt()).containsExactly(0, 1, 2);
    String srt = subtitles();
    assertThat(srt.indexOf("Open until seven")).isNotNegative().isLessThan(srt.indexOf("Crackling crust"));
    assertThat(count("select count(*) from provider_jobs where video_id = ?::uuid")).isEqualTo(jobs);
    List<ServerSentEvent> events = ServerSentEvent.collect(HTTP, request("/v1/videos/" + id + "/events", key))
        .get(30, TimeUnit.SECONDS);
    assertThat(events).extracting(ServerSentEvent::event).as("the stream follows every edit to its end")
        .contains("video.edited").endsWith("video.succeeded")
        .filteredOn("video.succeeded"::equals).hasSize(4);
  }

  @Test
  @Order(4)
  void editsAreRefusedWithAProblemWhileRunningForBadBodiesAndForOtherUsers() throws Exception {
    assertProblem(patch("/scenes/1", "{\"trim_out_seconds\": 4.5}"), 400, "invalid_request");
    assertProblem(patch("/scenes/1", "{\"duration_seconds\": 3}"), 400, "invalid_request");
    assertProblem(patch("/scenes/1", "{}"), 400, "invalid_request");
    assertProblem(patch("/scenes/1", "{\"trim_in_seconds\": 2.5}"), 400, "invalid_request");
    assertProblem(patch("/scenes/9", "{\"trim_in_seconds\": 0.2}"), 404, "not_found");
    assertProblem(send(request("/v1/videos/" + id + "/scenes/order", key).header("Content-Type", "application/json")
        .PUT(HttpRequest.BodyPublishers.ofString("{\"order\": [0, 1]}"))), 400, "invalid_request");
    assertProblem(send(request("/v1/videos/" + id + "/scenes/1", key).header("Content-Type", "text/plain")
        .method("PATCH", HttpRequest.BodyPublishers.ofString("{}"))), 415, "unsupported_media_type");
    assertProblem(get("/v1/videos/" + id + "/content?version=9", key), 404, "not_found");

    String stranger = newKey();
    assertProblem(send(request("/v1/videos/" + id + "/scenes/1", stranger).header("Content-Type", "application/json")
        .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"trim_in_seconds\": 0.2}"))), 404, "not_found");
    assertProblem(post("/v1/videos/" + id + "/scenes/1/regenerate", stranger, ""), 404, "not_found");
    assertProblem(get("/v1/videos/" + id + "/versions", stranger), 404, "not_found");

    String running = json.readTree(post("/v1/videos", key, "{\"prompt\": \"A short ad for tea\", \"duration_seconds\": 5,"
        + " \"cache\": \"off\"}").body()).get("id").asText();
    assertProblem(send(request("/v1/videos/" + running + "/scenes/0", key).header("Content-Type", "application/json")
        .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"trim_in_seconds\": 0.2}"))), 409, "video_busy");
    send(request("/v1/videos/" + running + "/cancel", key).POST(HttpRequest.BodyPublishers.noBody()));
    assertProblem(post("/v1/videos/" + running + "/scenes/0/regenerate", key, ""), 409, "not_editable");
    assertThat(json.readTree(get("/v1/videos/" + id, key).body()).get("version").asInt()).as("nothing was started")
        .isEqualTo(4);
  }

  @Test
  @Order(5)
  void theOpenApiDocumentDescribesTheEditsTheirBodiesAndProblems() throws Exception {
    JsonNode api = json.readTree(HTTP.send(HttpRequest.newBuilder(uri("/v1/openapi.json")).build(),
        HttpResponse.BodyHandlers.ofString()).body());

    JsonNode edit = api.at("/paths/~1v1~1videos~1{id}~1scenes~1{sequence}/patch");
    assertThat(edit.at("/responses/409/content").findValuesAsText("$ref")).containsExactly("#/components/schemas/Problem");
    assertThat(edit.at("/requestBody/content").findValuesAsText("$ref")).containsExactly("#/components/schemas/SceneEdit");
    assertThat(api.at("/components/schemas/SceneEdit/properties").has("trim_out_seconds")).isTrue();
    assertThat(api.at("/paths/~1v1~1videos~1{id}~1scenes~1order/put").isMissingNode()).isFalse();
    assertThat(api.at("/paths/~1v1~1videos~1{id}~1scenes~1{sequence}~1regenerate/post").isMissingNode()).isFalse();
    assertThat(api.at("/paths/~1v1~1videos~1{id}~1versions/get/responses/200/content").findValuesAsText("$ref"))
        .containsExactly("#/components/schemas/VersionPage");
    assertThat(api.at("/components/schemas/VideoDocument/properties").has("version")).isTrue();
  }

  private JsonNode awaitVersion(int version) {
    return await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500))
        .until(() -> json.readTree(get("/v1/videos/" + id, key).body()),
            v -> v.get("status").asText().equals("failed") || v.get("status").asText().equals("canceled")
                || (v.get("status").asText().equals("succeeded") && v.get("version").asInt() >= version));
  }

  private HttpResponse<String> patch(String path, String body) throws Exception {
    return send(request("/v1/videos/" + id + path, key).header("Content-Type", "application/json")
        .method("PATCH", HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)));
  }

  private void assertProblem(HttpResponse<String> response, int status, String code) throws Exception {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(json.readTree(response.body()).get("code").asText()).isEqualTo(code);
  }

  private byte[] download(String path) throws Exception {
    HttpResponse<byte[]> response = HTTP.send(request("/v1/videos/" + id + path, key).build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertThat(response.statusCode()).isEqualTo(200);
    return response.body();
  }

  /** Each scene asset's key and checksum, by scene and type. */
  private List<Map<String, Object>> sceneAssets() {
    return jdbc.sql("select s.sequence_number, a.asset_type, a.storage_key, a.sha256 from assets a"
            + " join scenes s on s.id = a.scene_id where a.video_id = ?::uuid order by 1, 2")
        .param(id).query().listOfRows();
  }

  private static String sha256(List<Map<String, Object>> assets, int sequence, String type) {
    return assets.stream().filter(a -> a.get("sequence_number").equals(sequence) && a.get("asset_type").equals(type))
        .map(a -> (String) a.get("sha256")).findFirst().orElseThrow();
  }

  /** The current version's subtitles, from storage. */
  private String subtitles() throws Exception {
    String key = jdbc.sql("select storage_key from assets where video_id = ?::uuid and asset_type = 'subtitles'")
        .param(id).query(String.class).single();
    return Files.readString(store.download(key, downloads.resolve("captions-" + System.nanoTime() + ".srt")))
        .replace('\n', ' ');
  }

  private int count(String sql) {
    return jdbc.sql(sql).param(id).query(Integer.class).single();
  }

  private double duration(byte[] mp4) throws Exception {
    Path file = Files.write(downloads.resolve("v-" + System.nanoTime() + ".mp4"), mp4);
    Process p = new ProcessBuilder("ffprobe", "-v", "error", "-print_format", "json", "-show_format", file.toString())
        .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).isZero();
    return json.readTree(out).get("format").get("duration").asDouble();
  }
}
