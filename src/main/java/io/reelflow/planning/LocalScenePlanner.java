package io.reelflow.planning;

import io.reelflow.provider.TitleCardCommand;
import io.reelflow.video.PlannedScene;
import io.reelflow.video.VideoOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;

/**
 * A deterministic, offline planner for ads: hook, problem, product hero, benefits, call to
 * action. About one scene per five seconds; each duration is a whole number of frames and they
 * add up exactly to the request; each voice-over fits its scene at about 2.5 words a second.
 */
@Component
public class LocalScenePlanner implements ScenePlanner {

  static final double WORDS_PER_SECOND = 2.5;
  static final int SECONDS_PER_SCENE = 5;

  private static final Pattern REQUEST_WORDS =
      Pattern.compile(
          "^(please\\s+)?(create|make|generate|produce|build|write|render|design)\\s+(me\\s+)?"
              + "(an?\\s+|the\\s+)?(\\d+\\s*[- ]?\\s*(s|sec|secs|second|seconds|min|mins|minute|minutes)\\b[- ]?\\s*)?"
              + "(long\\s+)?(video\\s+)?(ad|advert|advertisement|video|commercial|clip|spot|promo|reel|teaser)?\\s*"
              + "(for|about|on|of|showing|featuring)?\\s+",
          Pattern.CASE_INSENSITIVE);

  private enum Beat {
    HOOK("Ready for something better?", "Ready for something better? Meet %s.",
        "Extreme close-up of %s, soft morning light, slow push-in, shallow depth of field"),
    PROBLEM("Tired of the ordinary?", "Every day starts the same way. You deserve more than ordinary.",
        "A grey, rushed morning in a busy city, handheld camera, cool flat light"),
    HERO("Introducing %s", "Introducing %s, made with care for people like you.",
        "Hero shot of %s on a clean surface, slow orbit, warm key light and rim light"),
    BENEFIT("Made to be enjoyed", "Rich, bold and unmistakable. Every detail of %s is made to be enjoyed.",
        "People enjoying %s together, golden hour, smooth dolly, natural light"),
    MOMENT("Every moment, better", "From the first minute to the last, %s makes every moment better.",
        "Montage of everyday moments with %s, quick cuts, bright daylight"),
    CALL("Try %s today", "Try %s today. Your new favourite is waiting.",
        "%s centred with the logo, gentle zoom out, bright clean background");

    final String headline;
    final String script;
    final String visual;

    Beat(String headline, String script, String visual) {
      this.headline = headline;
      this.script = script;
      this.visual = visual;
    }
  }

  @Override
  public List<PlannedScene> plan(String prompt, VideoOptions options) {
    String subject = subjectOf(prompt);
    List<Beat> beats = beatsFor(sceneCount(options.durationSeconds()));
    List<Integer> frames = splitFrames(options.durationSeconds() * TitleCardCommand.FPS, beats.size());
    List<PlannedScene> scenes = new ArrayList<>();
    for (int i = 0; i < beats.size(); i++) {
      Beat beat = beats.get(i);
      int durationMs = frames.get(i) * 1000 / TitleCardCommand.FPS;
      scenes.add(
          new PlannedScene(
              beat.headline.formatted(titleCase(subject)),
              beat.visual.formatted(subject) + ". " + prompt.strip(),
              fit(beat.script.formatted(subject), durationMs),
              durationMs));
    }
    return scenes;
  }

  static int sceneCount(int durationSeconds) {
    return Math.max(1, Math.round(durationSeconds / (float) SECONDS_PER_SCENE));
  }

  static List<Beat> beatsFor(int count) {
    return switch (count) {
      case 1 -> List.of(Beat.HERO);
      case 2 -> List.of(Beat.HOOK, Beat.CALL);
      case 3 -> List.of(Beat.HOOK, Beat.HERO, Beat.CALL);
      default -> {
        List<Beat> beats = new ArrayList<>(List.of(Beat.HOOK, Beat.PROBLEM, Beat.HERO));
        for (int i = 0; beats.size() < count - 1; i++) {
          beats.add(i % 2 == 0 ? Beat.BENEFIT : Beat.MOMENT);
        }
        beats.add(Beat.CALL);
        yield beats;
      }
    };
  }

  /** Splits {@code total} frames into {@code parts} near-equal whole numbers that add up. */
  static List<Integer> splitFrames(int total, int parts) {
    List<Integer> frames = new ArrayList<>();
    for (int i = 0; i < parts; i++) {
      frames.add(total / parts + (i < total % parts ? 1 : 0));
    }
    return frames;
  }

  /** What the video is about: the prompt without "create a 30-sec ad for". */
  static String subjectOf(String prompt) {
    String subject = REQUEST_WORDS.matcher(prompt.strip()).replaceFirst("");
    subject = subject.replaceAll("[.!?]+$", "").strip();
    return subject.isEmpty() ? prompt.strip() : subject;
  }

  /** Keeps whole words of {@code script} that fit the scene at the speaking rate. */
  static String fit(String script, int durationMs) {
    int maxWords = Math.max(3, (int) Math.floor(durationMs / 1000.0 * WORDS_PER_SECOND));
    String[] words = script.split("\\s+");
    if (words.length <= maxWords) {
      return script;
    }
    String kept = String.join(" ", List.of(words).subList(0, maxWords)).replaceAll("[,;:]$", "");
    return kept.endsWith(".") || kept.endsWith("?") || kept.endsWith("!") ? kept : kept + ".";
  }

  private static String titleCase(String subject) {
    String withoutArticle = subject.replaceFirst("(?i)^(a|an|the)\\s+", "");
    StringBuilder out = new StringBuilder();
    for (String word : withoutArticle.split(" ")) {
      if (!out.isEmpty()) {
        out.append(' ');
      }
      out.append(word.isEmpty() ? word : word.substring(0, 1).toUpperCase(Locale.ROOT) + word.substring(1));
    }
    return out.toString();
  }
}
