package io.reelflow.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import io.reelflow.embedding.LocalEmbedder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Planning and the cache's embeddings from an OpenAI-compatible endpoint (a local server). Chat
 * completions answer a valid plan, or garbage when the idea asks for it: the LLM's plan is used,
 * its tokens charged to the ledger and the plan stored as the script; garbage falls back to the
 * local planner and the video is still made. Embeddings are the in-process model's vectors served
 * over {@code /v1/embeddings} under another model name, or a 500 when the text says "outage".
 */
class LlmPlanningIT extends ReelflowIT {

  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpServer LLM = llm();

  @DynamicPropertySource
  static void planner(DynamicPropertyRegistry registry) {
    registry.add("reelflow.planner.kind", () -> "openai");
    registry.add("reelflow.planner.base-url", () -> "http://127.0.0.1:" + LLM.getAddress().getPort());
    registry.add("reelflow.planner.model", () -> "gpt-test");
    registry.add("reelflow.planner.timeout", () -> "5s");
    registry.add("reelflow.planner.price-per-thousand-tokens", () -> "2.5");
    registry.add("reelflow.embedding.kind", () -> "openai");
    registry.add("reelflow.embedding.base-url", () -> "http://127.0.0.1:" + LLM.getAddress().getPort());
    registry.add("reelflow.embedding.model", () -> "served-minilm");
    registry.add("reelflow.embedding.dimensions", () -> "384");
  }

  @AfterAll
  static void stop() {
    LLM.stop(0);
  }

  @Autowired JdbcClient jdbc;

  @Test
  void theLlmPlansAndGarbageFallsBackToTheLocalPlanner() throws Exception {
    String key = newKey();
    String planned = submit(key, "Create a 10-sec ad for a harbour ferry");
    String fallback = submit(key, "Create a 10-sec ad for a garbage collection app");

    JsonNode llmVideo = finished(key, planned);
    JsonNode localVideo = finished(key, fallback);

    assertThat(llmVideo.get("scenes")).hasSize(2);
    assertThat(llmVideo.get("scenes").get(0).get("headline").asText()).isEqualTo("Cross the harbour");
    JsonNode event = plannerEvent(planned);
    assertThat(event.get("planner").asText()).isEqualTo("gpt-test");
    assertThat(event.get("tokens").asInt()).isEqualTo(500);
    assertThat(jdbc.sql("select amount from cost_ledger where video_id = ? and item like 'planner:gpt-test%'")
        .param(UUID.fromString(planned)).query(Double.class).single()).isEqualTo(1.25);
    assertThat(jdbc.sql("select count(*) from assets where video_id = ? and asset_type = 'script'")
        .param(UUID.fromString(planned)).query(Integer.class).single()).isEqualTo(1);

    JsonNode fell = plannerEvent(fallback);
    assertThat(fell.get("planner").asText()).isEqualTo("local");
    assertThat(fell.get("fallback").asText()).contains("still invalid");
    assertThat(localVideo.get("scenes").get(0).get("headline").asText()).isNotEqualTo("Cross the harbour");
  }

  @Test
  void theCacheComparesOnlyVectorsOfTheConfiguredRemoteModel() throws Exception {
    String key = newKey();
    String original = submit(key, "Create a 10-sec ad for a cup of coffee at sunrise", "auto");
    finished(key, original);
    assertThat(jdbc.sql("select model from prompt_embeddings where video_id = ?").param(UUID.fromString(original))
        .query(String.class).single()).isEqualTo("served-minilm:384");
    await().atMost(Duration.ofMinutes(1)).untilAsserted(() -> assertThat(jdbc.sql("select i.indisvalid from pg_class c"
            + " join pg_index i on i.indexrelid = c.oid where c.relname = 'prompt_embeddings_hnsw_served_minilm_384'")
        .query(Boolean.class).optional()).as("the model's own HNSW index, built on every partition").contains(true));

    String paraphrase = submit(key, "Create a 10-sec ad for a coffee cup at sunrise.", "auto");
    assertThat(finished(key, paraphrase).path("cached_from").asText()).isEqualTo(original);

    jdbc.sql("update prompt_embeddings set model = 'all-minilm-l6-v2-q' where video_id in (?, ?)")
        .params(UUID.fromString(original), UUID.fromString(paraphrase)).update();
    String sameVectorOtherModel = submit(key, "Create a 10-sec ad for a cup of coffee at sunrise!", "auto");
    assertThat(notCached(finished(key, sameVectorOtherModel)))
        .as("vectors stored under another model are never compared").isTrue();

    String outage = submit(key, "Create a 10-sec ad for an outage insurance plan", "auto");
    JsonNode made = finished(key, outage);
    assertThat(notCached(made)).isTrue();
    assertThat(jdbc.sql("select count(*) from prompt_embeddings where video_id = ?").param(UUID.fromString(outage))
        .query(Integer.class).single()).as("no vector when the endpoint failed; the video is still made").isZero();
  }

  private static boolean notCached(JsonNode video) {
    return video.path("cached_from").isMissingNode() || video.path("cached_from").isNull();
  }

  private JsonNode plannerEvent(String id) throws IOException {
    String detail = jdbc.sql("select detail::text from job_events where video_id = ? and event_type = 'video.planner'")
        .param(UUID.fromString(id)).query(String.class).single();
    return JSON.readTree(detail);
  }

  private String submit(String key, String prompt) throws Exception {
    return submit(key, prompt, "off");
  }

  private String submit(String key, String prompt, String cache) throws Exception {
    HttpResponse<String> accepted = post("/v1/videos", key, "{\"prompt\": \"" + prompt + "\", \"duration_seconds\": 10,"
        + " \"aspect_ratio\": \"1:1\", \"resolution\": \"480p\", \"music\": false, \"cache\": \"" + cache + "\"}");
    assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
    return JSON.readTree(accepted.body()).get("id").asText();
  }

  private JsonNode finished(String key, String id) {
    JsonNode video = await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(300))
        .until(() -> JSON.readTree(get("/v1/videos/" + id, key).body()),
            v -> List.of("succeeded", "failed").contains(v.path("status").asText()));
    assertThat(video.get("status").asText()).as(video.toString()).isEqualTo("succeeded");
    return video;
  }

  private static HttpServer llm() {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      server.createContext("/v1/chat/completions", exchange -> {
        String request = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        ObjectNode plan = JSON.createObjectNode();
        var scenes = plan.putArray("scenes");
        scenes.addObject().put("headline", "Cross the harbour")
            .put("visual_prompt", "A white ferry crossing a blue harbour at sunrise, aerial drone shot")
            .put("audio_script", "Cross the harbour in style.").put("duration_seconds", 5);
        scenes.addObject().put("headline", "Book today")
            .put("visual_prompt", "Passengers smiling on the ferry deck, golden light, slow pan")
            .put("audio_script", "Book your crossing today.").put("duration_seconds", 5);
        String content = request.contains("garbage") ? "I would love to help! First, scene one..." : plan.toString();
        ObjectNode reply = JSON.createObjectNode();
        reply.putArray("choices").addObject().putObject("message").put("role", "assistant").put("content", content);
        reply.putObject("usage").put("total_tokens", 500);
        byte[] body = JSON.writeValueAsBytes(reply);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
      });
      LocalEmbedder model = new LocalEmbedder();
      server.createContext("/v1/embeddings", exchange -> {
        JsonNode request = JSON.readTree(exchange.getRequestBody().readAllBytes());
        String text = request.get("input").asText();
        ObjectNode reply = JSON.createObjectNode();
        var vector = reply.putArray("data").addObject().put("index", 0).putArray("embedding");
        for (float v : model.embed(text)) {
          vector.add(v);
        }
        byte[] body = JSON.writeValueAsBytes(reply);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(text.contains("outage") ? 500 : 200, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
      });
      server.start();
      return server;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
