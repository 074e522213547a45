package io.reelflow.planning;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reelflow.provider.ProviderException;
import io.reelflow.provider.ProviderHttp;
import io.reelflow.video.VideoOptions;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * A scene plan from any OpenAI-compatible chat-completions endpoint ({@code POST
 * /v1/chat/completions}) over camel-http: a JSON-schema response format, the answer checked by
 * {@link PlanRules}, and one repair request carrying the violations when it breaks them.
 * Deterministic where the server allows it (temperature 0, a fixed seed). Throws rather than
 * guessing: the caller falls back to the local planner.
 */
@Component
class LlmScenePlanner {

  /** A valid plan and the tokens it cost. */
  record Answer(List<PlanRules.Proposed> scenes, int tokens, int requests) {}

  /** The endpoint refused, failed, or twice answered something that is not a valid plan. */
  static final class PlanningFailed extends RuntimeException {
    final int tokens;

    PlanningFailed(String message, int tokens, Throwable cause) {
      super(message, cause);
      this.tokens = tokens;
    }
  }

  private static final String SYSTEM = """
      You are the director of short marketing videos. Split the user's idea into scenes for a video
      of exactly the requested length. Every scene lasts 3 to 8 seconds and the durations add up to
      the total. For each scene write: a headline shown on screen (at most 60 characters); a visual
      prompt for an image or video model naming the subject, setting, camera and lighting, in the
      requested tone and director style; and a voice-over script that can be spoken in the scene at
      about 2.5 words per second. Follow the structure of the mode: ad = hook, problem, product hero,
      benefits, call to action; explainer = question, steps, summary; story = setup, turn, ending;
      music_video = mood shots that build. Answer only with JSON matching the schema.""";

  private final ProviderHttp http;
  private final ObjectMapper mapper;
  private final PlannerSettings settings;

  LlmScenePlanner(ProviderHttp http, ObjectMapper mapper, PlannerSettings settings) {
    this.http = http;
    this.mapper = mapper;
    this.settings = settings;
  }

  /**
   * Asks for a plan, and once more with the violations if the first answer breaks the rules.
   *
   * @throws PlanningFailed when no valid plan came
   */
  Answer plan(String prompt, VideoOptions options) {
    return plan(prompt, options, PlanRules.MAX_SCENES);
  }

  /** As above, in at most {@code maxScenes} scenes. */
  Answer plan(String prompt, VideoOptions options, int maxScenes) {
    List<Map<String, String>> messages = new ArrayList<>();
    messages.add(Map.of("role", "system", "content", SYSTEM));
    messages.add(Map.of("role", "user", "content", request(prompt, options, maxScenes)));
    int tokens = 0;
    for (int attempt = 1; attempt <= 2; attempt++) {
      JsonNode reply = complete(messages, tokens);
      tokens += reply.path("usage").path("total_tokens").asInt(0);
      String content = reply.path("choices").path(0).path("message").path("content").asText("");
      List<String> violations;
      List<PlanRules.Proposed> scenes = List.of();
      try {
        scenes = scenes(mapper.readTree(content));
        violations = PlanRules.violations(scenes, options, maxScenes);
      } catch (IOException | IllegalArgumentException e) {
        violations = List.of("the answer is not the JSON of the schema: " + e.getMessage());
      }
      if (violations.isEmpty()) {
        return new Answer(scenes, tokens, attempt);
      }
      if (attempt == 2) {
        throw new PlanningFailed("the repaired plan is still invalid: " + String.join("; ", violations), tokens, null);
      }
      messages.add(Map.of("role", "assistant", "content", content));
      messages.add(Map.of("role", "user", "content", "That plan is invalid: " + String.join("; ", violations)
          + ". Answer again with a corrected plan for the same request."));
    }
    throw new IllegalStateException("unreachable");
  }

  private JsonNode complete(List<Map<String, String>> messages, int tokensSoFar) {
    ObjectNode body = mapper.createObjectNode();
    body.put("model", settings.model());
    body.put("temperature", 0);
    body.put("seed", 7);
    ArrayNode list = body.putArray("messages");
    messages.forEach(m -> list.addObject().put("role", m.get("role")).put("content", m.get("content")));
    ObjectNode format = body.putObject("response_format");
    format.put("type", "json_schema");
    ObjectNode schema = format.putObject("json_schema");
    schema.put("name", "scene_plan");
    schema.put("strict", true);
    schema.set("schema", schema());
    ProviderHttp.Reply reply;
    try {
      reply = http.send("POST", settings.baseUrl() + "/v1/chat/completions", ProviderHttp.jsonHeaders(settings.apiKey()),
          mapper.writeValueAsBytes(body),
          settings.timeout());
    } catch (IOException e) {
      throw new PlanningFailed("cannot write the request", tokensSoFar, e);
    } catch (ProviderException e) {
      throw new PlanningFailed(e.getMessage(), tokensSoFar, e);
    }
    if (reply.status() != 200) {
      throw new PlanningFailed("the planner answered " + reply.status(), tokensSoFar, null);
    }
    try {
      return mapper.readTree(reply.body());
    } catch (IOException e) {
      throw new PlanningFailed("the planner's answer is not JSON", tokensSoFar, e);
    }
  }

  private String request(String prompt, VideoOptions options, int maxScenes) {
    ObjectNode request = mapper.createObjectNode();
    request.put("idea", prompt);
    request.put("total_seconds", options.durationSeconds());
    request.put("max_scenes", PlanRules.maxScenes(options.durationSeconds(), maxScenes));
    request.put("aspect_ratio", options.aspectRatio());
    request.put("mode", options.mode());
    request.put("tone", options.tone() == null ? "confident" : options.tone());
    if (options.style() != null) {
      request.put("director_style", options.style());
    }
    return request.toString();
  }

  private List<PlanRules.Proposed> scenes(JsonNode plan) {
    JsonNode scenes = plan.path("scenes");
    if (!scenes.isArray()) {
      throw new IllegalArgumentException("no scenes array");
    }
    List<PlanRules.Proposed> out = new ArrayList<>();
    for (JsonNode s : scenes) {
      if (!s.path("duration_seconds").isNumber()) {
        throw new IllegalArgumentException("a scene without a numeric duration_seconds");
      }
      out.add(new PlanRules.Proposed(s.path("headline").asText(null), s.path("visual_prompt").asText(null),
          s.path("audio_script").asText(null), s.path("duration_seconds").asDouble()));
    }
    return out;
  }

  private ObjectNode schema() {
    ObjectNode schema = mapper.createObjectNode();
    schema.put("type", "object");
    schema.put("additionalProperties", false);
    schema.putArray("required").add("scenes");
    ObjectNode items = schema.putObject("properties").putObject("scenes").put("type", "array").putObject("items");
    items.put("type", "object");
    items.put("additionalProperties", false);
    items.putArray("required").add("headline").add("visual_prompt").add("audio_script").add("duration_seconds");
    ObjectNode properties = items.putObject("properties");
    properties.putObject("headline").put("type", "string");
    properties.putObject("visual_prompt").put("type", "string");
    properties.putObject("audio_script").put("type", "string");
    properties.putObject("duration_seconds").put("type", "number");
    return schema;
  }
}
