package io.reelflow.intake;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads typed fields of one JSON object and collects every problem instead of stopping at the
 * first, so a client learns all its mistakes from one response. Text may not hold control
 * characters other than tab and newlines (PostgreSQL refuses NUL, and none belongs in a prompt).
 */
final class JsonFields {

  private final JsonNode object;
  private final String prefix;
  private final List<Map<String, String>> errors;

  JsonFields(JsonNode object, String prefix, List<Map<String, String>> errors) {
    this.object = object;
    this.prefix = prefix;
    this.errors = errors;
  }

  static JsonFields root(JsonNode object) {
    return new JsonFields(object, "", new ArrayList<>());
  }

  List<Map<String, String>> errors() {
    return errors;
  }

  void reject(String field, String message) {
    errors.add(ApiException.fieldError(prefix + field, message));
  }

  void onlyKnown(Set<String> known) {
    for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!known.contains(name)) {
        reject(name, "is not a known field");
      }
    }
  }

  /** True when the field is present, even as null. */
  boolean present(String field) {
    return object.has(field);
  }

  /** True when no field is present. */
  boolean empty() {
    return object.isEmpty();
  }

  /** True when the field is present and not null. */
  boolean has(String field) {
    JsonNode node = object.get(field);
    return node != null && !node.isNull();
  }

  void require(String field) {
    if (errors.stream().noneMatch(e -> e.get("field").equals(prefix + field))) {
      reject(field, "is required");
    }
  }

  /**
   * The objects of an array of {@code min} to {@code max} objects, each read with the prefix
   * {@code field[i].}; null when absent or wrong.
   */
  List<JsonFields> array(String field, int min, int max) {
    JsonNode node = object.get(field);
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isArray()) {
      reject(field, "must be an array");
      return null;
    }
    if (node.size() < min || node.size() > max) {
      reject(field, "must hold " + min + " to " + max + " items, not " + node.size());
      return null;
    }
    List<JsonFields> items = new ArrayList<>();
    for (int i = 0; i < node.size(); i++) {
      JsonNode item = node.get(i);
      if (!item.isObject()) {
        reject(field + "[" + i + "]", "must be an object");
        return null;
      }
      items.add(new JsonFields(item, prefix + field + "[" + i + "].", errors));
    }
    return items;
  }

  /** A number from {@code min} to {@code max}, or {@code fallback} when absent or wrong. */
  double number(String field, double fallback, double min, double max) {
    JsonNode node = object.get(field);
    if (node == null || node.isNull()) {
      return fallback;
    }
    if (!node.isNumber() || !Double.isFinite(node.doubleValue())) {
      reject(field, "must be a number");
      return fallback;
    }
    if (node.doubleValue() < min || node.doubleValue() > max) {
      reject(field, "must be between " + (int) min + " and " + (int) max);
      return fallback;
    }
    return node.doubleValue();
  }

  /** A nested object, or null when absent; a non-object is an error. */
  JsonFields object(String field) {
    JsonNode node = object.get(field);
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isObject()) {
      reject(field, "must be an object");
      return null;
    }
    return new JsonFields(node, prefix + field + ".", errors);
  }

  /** Stripped text of at most {@code max} characters, or {@code fallback} when absent. */
  String text(String field, String fallback, int max) {
    JsonNode node = object.get(field);
    if (node == null || node.isNull()) {
      return fallback;
    }
    if (!node.isTextual()) {
      reject(field, "must be a string");
      return fallback;
    }
    String value = node.asText().strip();
    if (value.isEmpty()) {
      reject(field, "must not be empty");
      return fallback;
    }
    if (value.length() > max) {
      reject(field, "must be at most " + max + " characters");
      return fallback;
    }
    if (value.chars().anyMatch(c -> Character.isISOControl(c) && c != '\n' && c != '\r' && c != '\t')) {
      reject(field, "must not contain control characters");
      return fallback;
    }
    return value;
  }

  String oneOf(String field, String fallback, List<String> allowed) {
    String value = text(field, fallback, 40);
    if (value != null && !allowed.contains(value)) {
      reject(field, "must be one of " + String.join(", ", allowed));
      return fallback;
    }
    return value;
  }

  int integer(String field, int fallback, int min, int max) {
    JsonNode node = object.get(field);
    if (node == null || node.isNull()) {
      return fallback;
    }
    if (!node.isIntegralNumber() || !node.canConvertToInt()) {
      reject(field, "must be an integer");
      return fallback;
    }
    if (node.intValue() < min || node.intValue() > max) {
      reject(field, "must be between " + min + " and " + max);
      return fallback;
    }
    return node.intValue();
  }

  boolean bool(String field, boolean fallback) {
    JsonNode node = object.get(field);
    if (node == null || node.isNull()) {
      return fallback;
    }
    if (!node.isBoolean()) {
      reject(field, "must be true or false");
      return fallback;
    }
    return node.booleanValue();
  }
}
