package io.reelflow.planning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.reelflow.provider.ProviderHttp;
import io.reelflow.video.PlannedScene;
import io.reelflow.video.VideoOptions;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The LLM planner against a local server that speaks OpenAI's chat completions: a valid plan, an
 * invalid plan repaired on the second request, garbage, a 429 and a timeout.
 */
class LlmScenePlannerTest {

  record Scripted(int status, String content, long delayMs) {}

  static final ObjectMapper JSON = new ObjectMapper();
  static final Deque<Scripted> ANSWERS = new ConcurrentLinkedDeque<>();
  static final List<String> REQUESTS = Collections.synchronizedList(new ArrayList<>());
  static HttpServer server;
  static DefaultCamelContext camel;
  static LlmScenePlanner planner;

  static final VideoOptions FIFTEEN = new VideoOptions(15, "16:9", "720p", "ad", "playful", null, null, true, true,
      null, "auto");

  @BeforeAll
  static void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    server.createContext("/v1/chat/completions", exchange -> {
      REQUESTS.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      Scripted next = ANSWERS.poll();
      if (next == null) {
        next = new Scripted(500, "", 0);
      }
      try {
        Thread.sleep(next.delayMs());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      com.fasterxml.jackson.databind.node.ObjectNode reply = JSON.createObjectNode();
      reply.putArray("choices").addObject().putObject("message").put("role", "assistant")
          .put("content", next.content());
      reply.putObject("usage").put("total_tokens", 400);
      byte[] body = next.status() != 200 ? "{\"error\": {\"message\": \"slow down\"}}".getBytes(StandardCharsets.UTF_8)
          : JSON.writeValueAsBytes(reply);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(next.status(), body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
    camel = new DefaultCamelContext();
    camel.start();
    PlannerSettings settings = new PlannerSettings("openai", "http://127.0.0.1:" + server.getAddress().getPort(),
        "sk-test", "gpt-test", Duration.ofMillis(800), 0.5);
    planner = new LlmScenePlanner(new ProviderHttp(camel.createProducerTemplate()), JSON, settings);
  }

  @AfterAll
  static void stop() {
    server.stop(0);
    camel.stop();
  }

  @BeforeEach
  void clear() {
    ANSWERS.clear();
    REQUESTS.clear();
  }

  @Test
  void aValidPlanIsTakenAndAsksWithAJsonSchema() throws Exception {
    ANSWERS.add(new Scripted(200, plan(5, 5, 5), 0));

    LlmScenePlanner.Answer answer = planner.plan("Create a 15-sec ad for a bike shop", FIFTEEN);

    assertThat(answer.scenes()).hasSize(3);
    assertThat(answer.requests()).isEqualTo(1);
    assertThat(answer.tokens()).isEqualTo(400);
    var request = JSON.readTree(REQUESTS.get(0));
    assertThat(request.get("model").asText()).isEqualTo("gpt-test");
    assertThat(request.get("response_format").get("type").asText()).isEqualTo("json_schema");
    assertThat(request.get("messages").get(1).get("content").asText()).contains("\"total_seconds\":15")
        .contains("playful");
    List<PlannedScene> snapped = PlanRules.snap(answer.scenes(), FIFTEEN);
    assertThat(snapped.stream().mapToInt(PlannedScene::durationMs).sum()).isEqualTo(15_000);
  }

  @Test
  void anInvalidPlanIsRepairedOnceWithItsViolations() {
    ANSWERS.add(new Scripted(200, plan(5, 5), 0));
    ANSWERS.add(new Scripted(200, plan(4, 6, 5), 0));

    LlmScenePlanner.Answer answer = planner.plan("Create a 15-sec ad for a bike shop", FIFTEEN);

    assertThat(answer.requests()).isEqualTo(2);
    assertThat(answer.tokens()).isEqualTo(800);
    assertThat(REQUESTS.get(1)).contains("That plan is invalid").contains("durations add up to 10.0 s, not 15 s");
  }

  @Test
  void garbageTwiceA429AndATimeoutAllFail() {
    ANSWERS.add(new Scripted(200, "Sure! Here is your plan: scene one…", 0));
    ANSWERS.add(new Scripted(200, "{\"scenes\": \"lots\"}", 0));
    assertThatThrownBy(() -> planner.plan("Create a 15-sec ad for a bike shop", FIFTEEN))
        .isInstanceOfSatisfying(LlmScenePlanner.PlanningFailed.class, e -> {
          assertThat(e.getMessage()).contains("still invalid");
          assertThat(e.tokens).isEqualTo(800);
        });

    ANSWERS.add(new Scripted(429, "", 0));
    assertThatThrownBy(() -> planner.plan("Create a 15-sec ad for a bike shop", FIFTEEN))
        .isInstanceOf(LlmScenePlanner.PlanningFailed.class).hasMessageContaining("429");

    ANSWERS.add(new Scripted(200, plan(5, 5, 5), 3000));
    assertThatThrownBy(() -> planner.plan("Create a 15-sec ad for a bike shop", FIFTEEN))
        .isInstanceOf(LlmScenePlanner.PlanningFailed.class);
  }

  @Test
  void theRulesRefuseWhatAPlanMustNotBe() {
    List<PlanRules.Proposed> overlong = List.of(
        new PlanRules.Proposed("Hook", "A bike in morning light, close-up", "Ride.", 2),
        new PlanRules.Proposed("", "A bike shop at dusk, wide shot", "one two three four five six seven eight nine ten"
            + " eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty twenty-one "
            + "twenty-two twenty-three twenty-four twenty-five", 9),
        new PlanRules.Proposed("Call", "x", "Visit us.", 4));

    assertThat(PlanRules.violations(overlong, FIFTEEN)).anyMatch(v -> v.contains("scene 1: duration_seconds"))
        .anyMatch(v -> v.contains("scene 2: headline is empty"))
        .anyMatch(v -> v.contains("scene 2: audio_script has 25 words"))
        .anyMatch(v -> v.contains("scene 3: visual_prompt must be"));
    assertThat(PlanRules.violations(List.of(new PlanRules.Proposed("Hero", "A bike, hero shot, warm light",
        "Meet the bike.", 5)), new VideoOptions(5, "1:1", "480p"))).isEmpty();
  }

  /** A plan with scenes of these lengths, each valid on its own. */
  private static String plan(double... seconds) {
    var scenes = JSON.createArrayNode();
    for (int i = 0; i < seconds.length; i++) {
      scenes.addObject().put("headline", "Scene " + (i + 1))
          .put("visual_prompt", "A city bike leaning on a brick wall, golden hour, slow dolly in")
          .put("audio_script", "Ride further with us.").put("duration_seconds", seconds[i]);
    }
    return JSON.createObjectNode().set("scenes", scenes).toString();
  }
}
