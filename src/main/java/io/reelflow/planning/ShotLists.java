package io.reelflow.planning;

import io.reelflow.video.PlannedScene;
import io.reelflow.video.Shot;
import io.reelflow.video.VideoOptions;
import java.util.Arrays;
import java.util.List;

/**
 * A user's own shot list ({@code scenes} on submit): checked at intake by the same {@link
 * PlanRules} as a planner's answer, and stored as the video's plan instead of planning. A shot
 * without a headline shows the first words of its voice-over.
 */
public final class ShotLists {

  static final int HEADLINE_WORDS = 6;

  private ShotLists() {}

  /** Why {@code shots} is not a valid plan of a video with {@code options}; empty when it is. */
  public static List<String> violations(List<Shot> shots, VideoOptions options, int maxScenes) {
    return PlanRules.violations(proposed(shots), options, maxScenes);
  }

  /** The most words a voice-over may have in a scene of {@code seconds}, by the plan rules (about 2.5 a second). */
  public static int wordsThatFit(double seconds) {
    return PlanRules.wordsThatFit(seconds);
  }

  /** The shot list as stored scenes, durations snapped to whole frames adding up to the request. */
  static List<PlannedScene> plan(List<Shot> shots, VideoOptions options) {
    return PlanRules.snap(proposed(shots), options);
  }

  private static List<PlanRules.Proposed> proposed(List<Shot> shots) {
    return shots.stream().map(s -> new PlanRules.Proposed(s.headline() != null ? s.headline() : headlineOf(s.audioScript()),
        s.visualPrompt(), s.audioScript(), s.durationSeconds())).toList();
  }

  /** The first words of {@code script}, at most 60 characters, without trailing punctuation. */
  static String headlineOf(String script) {
    if (script == null || script.isBlank()) {
      return script;
    }
    String[] words = script.strip().split("\\s+");
    String headline = String.join(" ", Arrays.copyOf(words, Math.min(words.length, HEADLINE_WORDS)));
    while (headline.length() > 60 && headline.contains(" ")) {
      headline = headline.substring(0, headline.lastIndexOf(' '));
    }
    if (headline.length() > 60) {
      headline = headline.substring(0, 60);
    }
    String trimmed = headline.replaceAll("[\\p{P}\\s]+$", "");
    return trimmed.isEmpty() ? headline : trimmed;
  }
}
