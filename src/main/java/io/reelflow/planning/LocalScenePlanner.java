package io.reelflow.planning;

import io.reelflow.provider.TitleCardCommand;
import io.reelflow.video.PlannedScene;
import io.reelflow.video.VideoOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;

/**
 * A deterministic, offline planner. Its structure follows the mode: an ad is hook, problem,
 * product hero, benefits, call to action; an explainer a question, steps and a summary; a story
 * a setup, turns and an ending; a music video mood shots that build. Every shot carries the look
 * of the tone (palette, light, camera) and of a known director's style. About one scene per five seconds; each duration is a whole number of frames and they
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

  /** A scene of a mode's structure: headline, voice-over and shot, each with the subject as %s. */
  record Act(String headline, String script, String visual) {}

  /** The other modes' structures: opening, middle acts (repeated as the length needs), closing. */
  private static final Map<String, List<List<Act>>> MODES = Map.of(
      "explainer", List.of(
          List.of(new Act("How does %s work?", "Ever wondered how %s works? Here is the short version.",
              "Title card over %s on a clean desk, soft studio light, slow push-in")),
          List.of(new Act("Step one: the idea", "It starts with one simple idea behind %s.",
                  "Diagram-like flat lay of %s, top-down camera, even light"),
              new Act("Step two: how it works", "Then %s does the hard part for you, step by step.",
                  "Close-up of hands using %s, over-the-shoulder shot, natural light"),
              new Act("Step three: what you get", "And you get the result, without the hassle.",
                  "Before-and-after split screen with %s, locked-off camera, bright light")),
          List.of(new Act("That's %s", "That is %s, made simple.",
              "%s centred on a clean background with the name on screen, gentle zoom out"))),
      "story", List.of(
          List.of(new Act("It started with %s", "It started on an ordinary day, with %s.",
              "Establishing wide shot introducing %s, early morning light, slow crane down")),
          List.of(new Act("Then everything changed", "Then something changed, and %s was at the heart of it.",
                  "Tense medium shot around %s, side light and long shadows, handheld"),
              new Act("Together", "Together, they found a way through.",
                  "Warm two-shot with %s, golden hour, slow dolly")),
          List.of(new Act("The story of %s", "And that is the story of %s.",
              "Final wide shot of %s as the light fades, slow pull back"))),
      "music_video", List.of(
          List.of(new Act("%s", "Feel the beat of %s.",
              "Silhouette of %s against a coloured light wall, slow motion, haze")),
          List.of(new Act("Feel it", "Turn it up.", "Fast montage around %s, strobe light, whip pans"),
              new Act("Move", "Let it move you.", "Dancers around %s, neon rim light, steady glide"),
              new Act("Higher", "Higher and higher.", "Drone rising over %s at night, city lights")),
          List.of(new Act("%s", "One more time: %s.",
              "Final slow-motion shot of %s with the title on screen, lights fading"))));

  /** How a tone looks on screen. */
  private static final Map<String, String> TONES = Map.ofEntries(
      Map.entry("playful", "bright saturated colours, bouncy handheld camera"),
      Map.entry("fun", "bright saturated colours, bouncy handheld camera"),
      Map.entry("energetic", "high contrast, fast cuts, whip pans"),
      Map.entry("upbeat", "high contrast, fast cuts, whip pans"),
      Map.entry("calm", "soft diffused light, muted palette, slow glide"),
      Map.entry("warm", "golden light, warm palette, gentle camera"),
      Map.entry("luxury", "low-key lighting, deep blacks and gold accents, slow dolly"),
      Map.entry("luxurious", "low-key lighting, deep blacks and gold accents, slow dolly"),
      Map.entry("serious", "neutral palette, steady tripod framing"),
      Map.entry("dramatic", "chiaroscuro lighting, low angles, slow push-in"));

  /** What a director's style means for a shot. */
  private static final Map<String, String> STYLES = Map.of(
      "wes anderson", "symmetric centred framing, pastel palette, flat staging",
      "christopher nolan", "cold palette, practical light, wide large-format framing",
      "sofia coppola", "dreamy natural light, pastel haze, quiet long takes",
      "denis villeneuve", "monumental wide shots, muted palette, slow deliberate moves",
      "wong kar-wai", "saturated neon, step-printed motion blur, close intimate framing");

  @Override
  public List<PlannedScene> plan(String prompt, VideoOptions options) {
    return plan(prompt, options, PlanRules.MAX_SCENES);
  }

  /** As {@link #plan(String, VideoOptions)}, in at most {@code maxScenes} scenes (never fewer than 8 s allows). */
  public List<PlannedScene> plan(String prompt, VideoOptions options, int maxScenes) {
    String subject = subjectOf(prompt);
    int count = Math.max(PlanRules.minScenes(options.durationSeconds()),
        Math.min(maxScenes, sceneCount(options.durationSeconds())));
    List<Act> acts = MODES.containsKey(options.mode()) ? actsFor(MODES.get(options.mode()), count)
        : beatsFor(count).stream().map(b -> new Act(b.headline, b.script, b.visual)).toList();
    List<Integer> frames = splitFrames(options.durationSeconds() * TitleCardCommand.FPS, acts.size());
    String look = look(options);
    List<PlannedScene> scenes = new ArrayList<>();
    for (int i = 0; i < acts.size(); i++) {
      Act act = acts.get(i);
      int durationMs = frames.get(i) * 1000 / TitleCardCommand.FPS;
      scenes.add(
          new PlannedScene(
              act.headline().formatted(titleCase(subject)),
              act.visual().formatted(subject) + look + ". " + prompt.strip(),
              fit(act.script().formatted(subject), durationMs),
              durationMs));
    }
    return scenes;
  }

  /** Opening, then middle acts in turn, then closing; a single scene is the opening. */
  static List<Act> actsFor(List<List<Act>> structure, int count) {
    if (count == 1) {
      return List.of(structure.get(0).get(0));
    }
    List<Act> acts = new ArrayList<>(structure.get(0));
    List<Act> middle = structure.get(1);
    for (int i = 0; acts.size() < count - 1; i++) {
      acts.add(middle.get(i % middle.size()));
    }
    acts.add(structure.get(2).get(0));
    return acts;
  }

  /** The tone's and the director style's look, appended to every shot. */
  static String look(VideoOptions options) {
    StringBuilder look = new StringBuilder();
    if (options.tone() != null && TONES.containsKey(options.tone().toLowerCase(Locale.ROOT))) {
      look.append(", ").append(TONES.get(options.tone().toLowerCase(Locale.ROOT)));
    } else if (options.tone() != null && !options.tone().isBlank()) {
      look.append(", a ").append(options.tone().strip()).append(" mood");
    }
    if (options.style() != null && !options.style().isBlank()) {
      String known = STYLES.get(options.style().strip().toLowerCase(Locale.ROOT));
      look.append(", ").append(known != null ? known : "in the style of " + options.style().strip());
    }
    return look.toString();
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

  private static final Pattern OTHER_REQUESTS = Pattern.compile(
      "^((please\\s+)?(explain|describe|show|tell)\\s+(me\\s+|us\\s+)?(how\\s+)?"
          + "|(an?\\s+)?(short\\s+)?(story|explainer|music video|tutorial|song)\\s+(about|for|of|on)\\s+)",
      Pattern.CASE_INSENSITIVE);

  /** What the video is about: the prompt without "create a 30-sec ad for", "explain", "a story about". */
  static String subjectOf(String prompt) {
    String subject = REQUEST_WORDS.matcher(prompt.strip()).replaceFirst("");
    subject = OTHER_REQUESTS.matcher(subject).replaceFirst("");
    subject = subject.replaceAll("[.!?]+$", "").strip();
    return subject.isEmpty() ? prompt.strip() : subject;
  }

  /**
   * The longest part of {@code script} that still reads whole and fits the scene at the speaking
   * rate: the longest run of whole sentences that fits; when no sentence fits, the longest end of a
   * sentence from a clause break on ("From the first minute to the last, X makes every moment
   * better." becomes "X makes every moment better."); only when no clause fits either, its first
   * words. A voice-over (and its caption) is never cut mid-sentence while a whole one fits.
   */
  static String fit(String script, int durationMs) {
    int maxWords = Math.max(3, (int) Math.floor(durationMs / 1000.0 * WORDS_PER_SECOND));
    if (words(script) <= maxWords) {
      return script;
    }
    List<String> sentences = List.of(script.strip().split("(?<=[.!?])\\s+"));
    String best = null;
    for (int from = 0; from < sentences.size(); from++) {
      for (int to = from + 1; to <= sentences.size(); to++) {
        best = longer(best, String.join(" ", sentences.subList(from, to)), maxWords);
      }
    }
    if (best != null) {
      return best;
    }
    for (String sentence : sentences) {
      List<String> clauses = List.of(sentence.split(",\\s+"));
      for (int from = 1; from < clauses.size(); from++) {
        String tail = String.join(", ", clauses.subList(from, clauses.size()));
        best = longer(best, tail.substring(0, 1).toUpperCase(Locale.ROOT) + tail.substring(1), maxWords);
      }
    }
    if (best != null) {
      return best;
    }
    String kept = String.join(" ", List.of(script.split("\\s+")).subList(0, maxWords)).replaceAll("[,;:]$", "");
    return kept.endsWith(".") || kept.endsWith("?") || kept.endsWith("!") ? kept : kept + ".";
  }

  /** {@code candidate} when it fits in {@code maxWords} and has more words than {@code best}; else {@code best}. */
  private static String longer(String best, String candidate, int maxWords) {
    int words = words(candidate);
    return words <= maxWords && (best == null || words > words(best)) ? candidate : best;
  }

  private static int words(String text) {
    return text.strip().split("\\s+").length;
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
