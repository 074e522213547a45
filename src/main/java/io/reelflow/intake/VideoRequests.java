package io.reelflow.intake;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.reelflow.video.VideoOptions;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * Parses and validates a submission body, collecting every offending field before refusing it.
 */
@Component("videoRequests")
public class VideoRequests {

  static final int MAX_PROMPT = 2000;
  static final Set<String> FIELDS = Set.of("prompt", "duration_seconds", "aspect_ratio", "resolution");
  static final Set<String> ASPECT_RATIOS = Set.of("16:9", "9:16", "1:1");
  static final Set<String> RESOLUTIONS = Set.of("480p", "720p", "1080p");

  private final ObjectMapper mapper;

  VideoRequests(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  /**
   * @throws ApiException 400 {@code invalid_request} listing each offending field
   */
  public VideoRequest parse(String body) {
    JsonNode root;
    try {
      root = body == null || body.isBlank() ? null : mapper.readTree(body);
    } catch (JsonProcessingException e) {
      throw ApiException.invalid(List.of(error("body", "is not valid JSON")));
    }
    if (root == null || !root.isObject()) {
      throw ApiException.invalid(List.of(error("body", "must be a JSON object")));
    }
    List<Map<String, String>> errors = new ArrayList<>();
    for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!FIELDS.contains(name)) {
        errors.add(error(name, "is not a known field"));
      }
    }
    String prompt = text(root, "prompt", null, errors);
    if (prompt == null || prompt.isBlank()) {
      errors.add(error("prompt", "is required"));
    } else if (prompt.strip().length() > MAX_PROMPT) {
      errors.add(error("prompt", "must be at most " + MAX_PROMPT + " characters"));
    }
    int duration = integer(root, "duration_seconds", 15, errors);
    if (duration < 5 || duration > 120) {
      errors.add(error("duration_seconds", "must be between 5 and 120"));
    }
    String aspect = oneOf(root, "aspect_ratio", "16:9", ASPECT_RATIOS, errors);
    String resolution = oneOf(root, "resolution", "720p", RESOLUTIONS, errors);
    if (!errors.isEmpty()) {
      throw ApiException.invalid(errors);
    }
    return new VideoRequest(prompt.strip(), new VideoOptions(duration, aspect, resolution));
  }

  private static String text(JsonNode root, String field, String fallback, List<Map<String, String>> errors) {
    JsonNode node = root.get(field);
    if (node == null || node.isNull()) {
      return fallback;
    }
    if (!node.isTextual()) {
      errors.add(error(field, "must be a string"));
      return fallback;
    }
    return node.asText();
  }

  private static int integer(JsonNode root, String field, int fallback, List<Map<String, String>> errors) {
    JsonNode node = root.get(field);
    if (node == null || node.isNull()) {
      return fallback;
    }
    if (!node.isIntegralNumber() || !node.canConvertToInt()) {
      errors.add(error(field, "must be an integer"));
      return fallback;
    }
    return node.intValue();
  }

  private static String oneOf(JsonNode root, String field, String fallback, Set<String> allowed,
      List<Map<String, String>> errors) {
    String value = text(root, field, fallback, errors);
    if (!allowed.contains(value)) {
      errors.add(error(field, "must be one of " + String.join(", ", allowed.stream().sorted().toList())));
    }
    return value;
  }

  private static Map<String, String> error(String field, String message) {
    return Map.of("field", field, "message", message);
  }
}
