package io.reelflow.intake;

import com.fasterxml.jackson.databind.JsonNode;
import io.reelflow.planning.ShotLists;
import io.reelflow.provider.TitleCardCommand;
import io.reelflow.video.Edits.SceneState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * The bodies of the scene edits, read and checked by the rules a plan meets: texts of the plan's
 * lengths, a voice-over that fits its scene at about 2.5 words a second, trim points inside the
 * scene ({@code 0 ≤ in < out ≤ length}, whole frames) keeping at least a second of it. Every
 * offending field is reported at once. Pure functions, apart from the scene they are checked
 * against.
 */
final class SceneEditRequests {

  static final List<String> PATCH_FIELDS =
      List.of("headline", "visual_prompt", "audio_script", "trim_in_seconds", "trim_out_seconds");
  static final int MIN_KEPT_MS = 1000;
  private static final int FRAME_MS = 1000 / TitleCardCommand.FPS;

  private SceneEditRequests() {}

  /**
   * A trim point as asked: {@code seconds} null resets it to the scene's edge (JSON {@code null}).
   * An absent field is a null {@code Point}.
   */
  record Point(Double seconds) {}

  /** A {@code PATCH} body: null members were not given. */
  record Patch(String headline, String visualPrompt, String audioScript, Point trimIn, Point trimOut,
      List<String> fields) {

    /** The new texts, one a line, for moderation; null when the patch changes no text. */
    String moderatedText() {
      List<String> texts = new ArrayList<>();
      for (String text : new String[] {headline, visualPrompt, audioScript}) {
        if (text != null) {
          texts.add(text);
        }
      }
      return texts.isEmpty() ? null : String.join("\n", texts);
    }
  }

  /** Reads a {@code PATCH} body: known fields only, at least one, each of the right type and length. */
  static Patch patch(JsonNode body) {
    JsonFields f = JsonFields.root(body);
    f.onlyKnown(Set.copyOf(PATCH_FIELDS));
    if (f.empty()) {
      f.reject("body", "name at least one of " + String.join(", ", PATCH_FIELDS));
    }
    String headline = f.text("headline", null, 60);
    String visual = f.text("visual_prompt", null, 600);
    if (visual != null && visual.length() < 10) {
      f.reject("visual_prompt", "must be 10 to 600 characters");
    }
    String audio = f.text("audio_script", null, 600);
    for (String text : List.of("headline", "visual_prompt", "audio_script")) {
      if (f.present(text) && !f.has(text)) {
        f.reject(text, "cannot be null");
      }
    }
    Point in = point(f, "trim_in_seconds");
    Point out = point(f, "trim_out_seconds");
    if (!f.errors().isEmpty()) {
      throw ApiException.invalid(f.errors());
    }
    List<String> given = PATCH_FIELDS.stream().filter(f::present).toList();
    return new Patch(headline, visual, audio, in, out, given);
  }

  private static Point point(JsonFields f, String field) {
    if (!f.present(field)) {
      return null;
    }
    if (!f.has(field)) {
      return new Point(null);
    }
    double seconds = f.number(field, Double.NaN, 0, 120);
    return Double.isNaN(seconds) ? null : new Point(seconds);
  }

  /**
   * The scene as the patch would leave it, checked against its length.
   *
   * @throws ApiException 400 {@code invalid_request} naming each offending field, or the body when
   *     the patch changes nothing
   */
  static SceneState apply(SceneState scene, Patch patch) {
    List<Map<String, String>> errors = new ArrayList<>();
    String audio = patch.audioScript() != null ? patch.audioScript() : scene.audioScript();
    double seconds = scene.durationMs() / 1000.0;
    int words = audio.strip().split("\\s+").length;
    if (patch.audioScript() != null && words > ShotLists.wordsThatFit(seconds)) {
      errors.add(ApiException.fieldError("audio_script", "has " + words + " words; at most "
          + ShotLists.wordsThatFit(seconds) + " fit the scene's " + seconds + " s"));
    }
    int in = resolve(patch.trimIn(), scene.trimInMs(), 0);
    int out = resolve(patch.trimOut(), scene.trimOutMs(), scene.durationMs());
    if (out > scene.durationMs()) {
      errors.add(ApiException.fieldError("trim_out_seconds", "must be at most " + seconds + " (the scene's length)"));
    } else if (in >= out) {
      errors.add(ApiException.fieldError(patch.trimIn() != null ? "trim_in_seconds" : "trim_out_seconds",
          "the scene must start before it ends (in " + in / 1000.0 + " s, out " + out / 1000.0 + " s)"));
    } else if (out - in < MIN_KEPT_MS) {
      errors.add(ApiException.fieldError(patch.trimOut() != null ? "trim_out_seconds" : "trim_in_seconds",
          "the trimmed scene must last at least 1 s, not " + (out - in) / 1000.0 + " s"));
    }
    if (!errors.isEmpty()) {
      throw ApiException.invalid(errors);
    }
    SceneState edited = new SceneState(scene.id(), scene.sequence(), scene.displayOrder(),
        patch.headline() != null ? patch.headline() : scene.headline(),
        patch.visualPrompt() != null ? patch.visualPrompt() : scene.visualPrompt(), audio, scene.durationMs(),
        in == 0 ? null : in, out == scene.durationMs() ? null : out, scene.status());
    if (edited.equals(scene)) {
      throw ApiException.invalid("body", "changes nothing: scene " + scene.sequence() + " already is so");
    }
    return edited;
  }

  /** A trim point in milliseconds, on a whole frame: as asked, reset to {@code edge}, or as it was. */
  private static int resolve(Point asked, Integer current, int edge) {
    if (asked == null) {
      return current == null ? edge : current;
    }
    if (asked.seconds() == null) {
      return edge;
    }
    return (int) Math.round(asked.seconds() * 1000 / FRAME_MS) * FRAME_MS;
  }

  /**
   * Reads a {@code PUT …/scenes/order} body: {@code order}, every sequence number of the video's
   * scenes exactly once, in a different order than now.
   *
   * @param current the sequence numbers in their display order now
   */
  static List<Integer> order(JsonNode body, List<Integer> current) {
    JsonFields f = JsonFields.root(body);
    f.onlyKnown(Set.of("order"));
    JsonNode order = body.get("order");
    List<Integer> asked = new ArrayList<>();
    if (order == null || order.isNull()) {
      f.require("order");
    } else if (!order.isArray() || !IntStream.range(0, order.size()).allMatch(i -> order.get(i).canConvertToInt()
        && order.get(i).isIntegralNumber())) {
      f.reject("order", "must be an array of scene sequence numbers");
    } else {
      order.forEach(n -> asked.add(n.intValue()));
      if (asked.size() != current.size() || !Set.copyOf(asked).equals(Set.copyOf(current))
          || Set.copyOf(asked).size() != asked.size()) {
        f.reject("order", "must name each of the scenes " + current.stream().sorted().toList() + " exactly once");
      } else if (Objects.equals(asked, current)) {
        f.reject("order", "changes nothing: the scenes are already in this order");
      }
    }
    if (!f.errors().isEmpty()) {
      throw ApiException.invalid(f.errors());
    }
    return asked;
  }
}
