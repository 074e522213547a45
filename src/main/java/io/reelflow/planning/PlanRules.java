package io.reelflow.planning;

import io.reelflow.provider.TitleCardCommand;
import io.reelflow.video.PlannedScene;
import io.reelflow.video.VideoOptions;
import java.util.ArrayList;
import java.util.List;

/**
 * What every plan must satisfy, whoever wrote it (an LLM, a user's shot list): 3–8 s scenes
 * (one scene when the whole video is shorter), durations adding up to the requested length within
 * half a second, a headline, a visual prompt and a voice-over that fits its scene at about 2.5
 * words a second, none empty or overlong. A valid plan is then snapped to whole frames that add up
 * exactly.
 */
final class PlanRules {

  /** A scene as proposed, its length in seconds. */
  record Proposed(String headline, String visualPrompt, String audioScript, double durationSeconds) {}

  static final int MIN_SECONDS = 3;
  static final int MAX_SECONDS = 8;
  /** Scenes of the longest video in the shortest scenes: no plan may have more. */
  static final int MAX_SCENES = 40;

  private PlanRules() {}

  /** The reasons {@code scenes} is not a valid plan for {@code options}; empty when it is. */
  static List<String> violations(List<Proposed> scenes, VideoOptions options) {
    return violations(scenes, options, MAX_SCENES);
  }

  /** As above, with at most {@code maxScenes} scenes (the user's tier's cap). */
  static List<String> violations(List<Proposed> scenes, VideoOptions options, int maxScenes) {
    List<String> errors = new ArrayList<>();
    int total = options.durationSeconds();
    int min = minScenes(total);
    int max = maxScenes(total, maxScenes);
    if (scenes.size() < min || scenes.size() > max) {
      errors.add("a " + total + " s video needs " + min + " to " + max + " scenes, not " + scenes.size());
    }
    double sum = 0;
    for (int i = 0; i < scenes.size(); i++) {
      Proposed s = scenes.get(i);
      String at = "scene " + (i + 1) + ": ";
      sum += s.durationSeconds();
      if (scenes.size() > 1 && (s.durationSeconds() < MIN_SECONDS || s.durationSeconds() > MAX_SECONDS)) {
        errors.add(at + "duration_seconds must be " + MIN_SECONDS + " to " + MAX_SECONDS + ", not " + s.durationSeconds());
      }
      text(errors, at + "headline", s.headline(), 1, 60);
      text(errors, at + "visual_prompt", s.visualPrompt(), 10, 600);
      text(errors, at + "audio_script", s.audioScript(), 1, 600);
      if (s.audioScript() != null && !s.audioScript().isBlank()) {
        int words = s.audioScript().strip().split("\\s+").length;
        int fits = wordsThatFit(s.durationSeconds());
        if (words > fits) {
          errors.add(at + "audio_script has " + words + " words; at most " + fits + " fit " + s.durationSeconds() + " s");
        }
      }
    }
    if (Math.abs(sum - total) > 0.5) {
      errors.add("durations add up to " + sum + " s, not " + total + " s");
    }
    return errors;
  }

  /** The most words a voice-over of a {@code seconds} scene may have: about 2.5 a second, and two to spare. */
  static int wordsThatFit(double seconds) {
    return (int) Math.floor(Math.max(1, seconds) * LocalScenePlanner.WORDS_PER_SECOND) + 2;
  }

  /** The most scenes a video of {@code seconds} can have: none shorter than 3 s, at most {@code cap}. */
  static int maxScenes(int seconds, int cap) {
    return Math.max(1, Math.min(cap, seconds / MIN_SECONDS));
  }

  /** The fewest scenes a video of {@code seconds} can have: none longer than 8 s. */
  static int minScenes(int seconds) {
    return Math.max(1, (int) Math.ceil(seconds / (double) MAX_SECONDS));
  }

  /** A valid plan as stored scenes: durations in whole frames adding up exactly to the request. */
  static List<PlannedScene> snap(List<Proposed> scenes, VideoOptions options) {
    int totalFrames = options.durationSeconds() * TitleCardCommand.FPS;
    double sum = scenes.stream().mapToDouble(Proposed::durationSeconds).sum();
    List<PlannedScene> planned = new ArrayList<>();
    int used = 0;
    for (int i = 0; i < scenes.size(); i++) {
      Proposed s = scenes.get(i);
      int frames = i == scenes.size() - 1 ? totalFrames - used
          : (int) Math.round(s.durationSeconds() / sum * totalFrames);
      used += frames;
      planned.add(new PlannedScene(s.headline().strip(), s.visualPrompt().strip(), s.audioScript().strip(),
          frames * 1000 / TitleCardCommand.FPS));
    }
    return planned;
  }

  private static void text(List<String> errors, String field, String value, int min, int max) {
    if (value == null || value.isBlank()) {
      errors.add(field + " is empty");
    } else if (value.strip().length() < min || value.strip().length() > max) {
      errors.add(field + " must be " + min + " to " + max + " characters");
    }
  }
}
