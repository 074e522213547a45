package io.reelflow.safety;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Speaks an OpenAI-compatible {@code POST /v1/moderations}: builds the request body, maps the
 * answer onto our categories, and applies the failure policy when there is no answer. The HTTP
 * call itself, its timeout and circuit breaker belong to {@code routes/moderation.camel.yaml}.
 *
 * <p>Mapping: {@code sexual/minors} → {@code sexual_minors}; {@code self-harm},
 * {@code self-harm/intent}, {@code self-harm/instructions} → {@code self_harm}; {@code
 * illicit/violent} → {@code weapons_instructions}; {@code hate}, {@code hate/threatening} →
 * {@code hate}; {@code violence/graphic} → {@code graphic_violence}; {@code sexual} → {@code
 * sexual}. Flags outside this table ({@code harassment*}, plain {@code violence}, {@code
 * illicit}) do not block: the policy blocks the same categories, whichever moderator runs.
 * Stateless and thread-safe.
 */
@Component("openAiModeration")
public class OpenAiModeration {

  private static final Logger log = LoggerFactory.getLogger(OpenAiModeration.class);

  /** Their category → ours. */
  static final Map<String, Category> CATEGORIES = Map.of(
      "sexual/minors", Category.SEXUAL_MINORS,
      "self-harm", Category.SELF_HARM,
      "self-harm/intent", Category.SELF_HARM,
      "self-harm/instructions", Category.SELF_HARM,
      "illicit/violent", Category.WEAPONS_INSTRUCTIONS,
      "hate", Category.HATE,
      "hate/threatening", Category.HATE,
      "violence/graphic", Category.GRAPHIC_VIOLENCE,
      "sexual", Category.SEXUAL);

  private final ObjectMapper mapper;
  private final String model;

  @Autowired
  OpenAiModeration(ObjectMapper mapper, ModerationSettings settings) {
    this(mapper, settings.model());
  }

  public OpenAiModeration(ObjectMapper mapper, String model) {
    this.mapper = mapper;
    this.model = model;
  }

  /** The JSON body {@code {"model": ..., "input": prompt}} of the moderation request. */
  public String requestBody(String prompt) {
    Map<String, String> body = new LinkedHashMap<>();
    body.put("model", model);
    body.put("input", prompt);
    try {
      return mapper.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot write the moderation request", e);
    }
  }

  /**
   * The body of the output check of a finished video: its transcript and its sampled frames (the
   * contact sheet, one JPEG as a data URL) as one multi-modal input, which OpenAI's
   * omni-moderation models judge together.
   */
  public String outputRequestBody(OutputSample sample) throws java.io.IOException {
    com.fasterxml.jackson.databind.node.ObjectNode body = mapper.createObjectNode();
    body.put("model", model);
    com.fasterxml.jackson.databind.node.ArrayNode input = body.putArray("input");
    input.addObject().put("type", "text").put("text", sample.transcript());
    if (sample.contactSheet() != null && java.nio.file.Files.exists(sample.contactSheet())) {
      String image = java.util.Base64.getEncoder().encodeToString(java.nio.file.Files.readAllBytes(sample.contactSheet()));
      input.addObject().put("type", "image_url").putObject("image_url").put("url", "data:image/jpeg;base64," + image);
    }
    return mapper.writeValueAsString(body);
  }

  /**
   * The verdict in a moderation response: blocked in the most serious of our categories that is
   * flagged, with the provider's score for it; allowed otherwise, with the highest mapped score.
   *
   * @throws ModerationUnavailableException when the response is not a moderation result
   */
  public ModerationVerdict parse(String responseJson) {
    JsonNode result = firstResult(responseJson);
    JsonNode flags = result.path("categories");
    JsonNode scores = result.path("category_scores");
    Category worst = null;
    String theirs = null;
    double worstScore = 0;
    double highest = 0;
    for (Map.Entry<String, Category> mapping : CATEGORIES.entrySet()) {
      double score = scores.path(mapping.getKey()).asDouble(0);
      highest = Math.max(highest, score);
      if (!flags.path(mapping.getKey()).asBoolean(false)) {
        continue;
      }
      int order = worst == null ? -1 : mapping.getValue().compareTo(worst);
      if (order < 0 || (order == 0 && score > worstScore)) {
        worst = mapping.getValue();
        theirs = mapping.getKey();
        worstScore = score;
      }
    }
    if (worst == null) {
      return ModerationVerdict.allowed(highest, ModerationVerdict.REMOTE,
          result.path("flagged").asBoolean(false) ? "flagged only outside the blocked categories" : "not flagged");
    }
    return ModerationVerdict.blocked(worst.code(), worstScore, ModerationVerdict.REMOTE,
        String.format(Locale.ROOT, "flagged %s (%.2f)", theirs, worstScore));
  }

  /**
   * The verdict when the provider gave none (error, timeout, open circuit): {@code open} lets the
   * prompt through, marked {@code remote-unavailable}; {@code closed} refuses it.
   *
   * @throws ModerationUnavailableException under the {@code closed} policy (and any unknown one)
   */
  public ModerationVerdict onUnavailable(String policy) {
    if ("open".equalsIgnoreCase(policy == null ? "" : policy.strip())) {
      return ModerationVerdict.allowed(0, ModerationVerdict.REMOTE_UNAVAILABLE,
          "moderation provider unavailable; allowed by the open failure policy");
    }
    throw new ModerationUnavailableException("the moderation provider is unavailable; try again later");
  }

  private JsonNode firstResult(String responseJson) {
    JsonNode root;
    try {
      root = mapper.readTree(responseJson == null ? "" : responseJson);
    } catch (JsonProcessingException e) {
      log.warn("moderation provider answered with invalid JSON: {}", e.getOriginalMessage());
      throw new ModerationUnavailableException("the moderation provider answered with invalid JSON");
    }
    JsonNode result = root == null ? null : root.path("results").path(0);
    if (result == null || !result.isObject() || !result.path("categories").isObject()) {
      throw new ModerationUnavailableException("the moderation provider answered without a result");
    }
    return result;
  }
}
