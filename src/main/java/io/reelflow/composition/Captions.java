package io.reelflow.composition;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Captions from the scenes' voice-over scripts: each script is cut into cues of at most two short
 * lines, timed over the part of its scene where the voice speaks (in proportion to their words),
 * written as SubRip (the stored subtitle asset) and as ASS (burned in by libass, which shapes
 * right-to-left scripts and keeps the text inside the safe margins).
 *
 * <p>Prompt text never becomes markup: in ASS a backslash is followed by a word joiner (U+2060),
 * so {@code \N} or {@code \b1} stay literal, and braces are escaped as {@code \{ \}}, so no
 * override block can open. Line breaks and control characters become spaces.
 */
final class Captions {

  /** One caption: shown from {@code startMs} to {@code endMs}, its lines already wrapped. */
  record Cue(int startMs, int endMs, List<String> lines) {}

  /**
   * The voice-over of one scene: where the scene starts in the video and how long it lasts there,
   * how long the voice speaks from the clip's start, what it says; for a trimmed scene, where the
   * kept part starts in the clip ({@code inMs}) and the clip's whole length ({@code fullMs}).
   */
  record Spoken(int startMs, int durationMs, int speechMs, String script, int inMs, int fullMs) {

    Spoken(int startMs, int durationMs, int speechMs, String script) {
      this(startMs, durationMs, speechMs, script, 0, durationMs);
    }

    /** How long the voice speaks in the whole clip (all of it when its length is unknown). */
    int speaksMs() {
      return speechMs <= 0 ? fullMs : Math.min(speechMs, fullMs);
    }

    /** How long the voice is heard from the start of the kept part (0 when trimmed away). */
    int voicedMs() {
      return Math.max(0, Math.min(speaksMs(), inMs + durationMs) - inMs);
    }
  }

  static final int MAX_LINES = 2;
  private static final String WORD_JOINER = "\u2060";

  private Captions() {}

  /**
   * Cues of every scene, in order; a scene without a script has none. A trimmed scene's cues are
   * timed over the whole clip, then cut to its kept part: a cue trimmed away (or all but a sliver
   * of it) is dropped, a cue partly kept is shown while the kept part lasts.
   */
  static List<Cue> cues(List<Spoken> scenes, int charsPerLine) {
    List<Cue> cues = new ArrayList<>();
    for (Spoken scene : scenes) {
      String text = clean(scene.script());
      if (text.isEmpty()) {
        continue;
      }
      List<List<String>> chunks = chunks(text, charsPerLine);
      int words = chunks.stream().mapToInt(Captions::wordCount).sum();
      int full = scene.fullMs();
      int spoken = scene.speaksMs();
      int at = 0;
      int counted = 0;
      for (int i = 0; i < chunks.size(); i++) {
        counted += wordCount(chunks.get(i));
        int until = i == chunks.size() - 1 ? full - 40 : (int) ((long) spoken * counted / words);
        kept(scene, at, Math.max(at + 200, until), chunks.get(i)).ifPresent(cues::add);
        at = until;
      }
    }
    return cues;
  }

  /** A cue timed in the scene's clip ({@code from}–{@code to}) placed in the video, if enough of it is kept. */
  private static java.util.Optional<Cue> kept(Spoken scene, int from, int to, List<String> lines) {
    int out = scene.inMs() + scene.durationMs();
    int start = Math.max(from, scene.inMs());
    int end = out < scene.fullMs() ? Math.min(to, out - 40) : to;
    if (end - start < 200) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(new Cue(scene.startMs() + start - scene.inMs(), scene.startMs() + end - scene.inMs(),
        lines));
  }

  /** SubRip: numbered cues, {@code 00:00:01,500 --> 00:00:03,000}, lines as written. */
  static String srt(List<Cue> cues) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < cues.size(); i++) {
      Cue cue = cues.get(i);
      out.append(i + 1).append('\n')
          .append(clock(cue.startMs(), ',')).append(" --> ").append(clock(cue.endMs(), ',')).append('\n')
          .append(String.join("\n", cue.lines())).append("\n\n");
    }
    return out.toString();
  }

  /**
   * ASS for a {@code width}×{@code height} video: white bold text with a dark outline and shadow,
   * bottom centre, 8% side margins and a bottom margin that clears a phone app's controls in 9:16.
   */
  static String ass(List<Cue> cues, int width, int height, String fontName) {
    int fontSize = fontSize(width, height);
    int side = Math.round(width * 0.08f);
    int bottom = Math.round(height * (height > width ? 0.14f : 0.07f));
    StringBuilder out = new StringBuilder();
    out.append("[Script Info]\nScriptType: v4.00+\nWrapStyle: 0\nScaledBorderAndShadow: yes\n")
        .append("PlayResX: ").append(width).append("\nPlayResY: ").append(height).append("\n\n")
        .append("[V4+ Styles]\nFormat: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour,"
            + " BackColour, Bold, Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline,"
            + " Shadow, Alignment, MarginL, MarginR, MarginV, Encoding\n")
        .append(String.format(Locale.ROOT, "Style: Caption,%s,%d,&H00FFFFFF,&H00FFFFFF,&H00101010,&H96000000,-1,0,0,0,"
            + "100,100,0,0,1,%d,%d,2,%d,%d,%d,1%n%n", fontName, fontSize, Math.max(2, fontSize / 14),
            Math.max(1, fontSize / 20), side, side, bottom))
        .append("[Events]\nFormat: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text\n");
    for (Cue cue : cues) {
      out.append("Dialogue: 0,").append(assClock(cue.startMs())).append(',').append(assClock(cue.endMs()))
          .append(",Caption,,0,0,0,,")
          .append(String.join("\\N", cue.lines().stream().map(Captions::assText).toList())).append('\n');
    }
    return out.toString();
  }

  /** Caption size: a 22nd of the short side (33 px at 720p), never under 14 px. */
  static int fontSize(int width, int height) {
    return Math.max(14, Math.min(width, height) / 22);
  }

  /** Characters that fit one caption line within the side margins, for the font size above. */
  static int charsPerLine(int width, int height) {
    return Math.max(16, Math.min(42, (int) (width * 0.84 / (fontSize(width, height) * 0.6))));
  }

  /** {@code text} safe inside an ASS Dialogue: no override blocks, no escape sequences. */
  static String assText(String text) {
    return text.replace("\\", "\\" + WORD_JOINER).replace("{", "\\{").replace("}", "\\}");
  }

  private static String clean(String script) {
    if (script == null) {
      return "";
    }
    StringBuilder out = new StringBuilder(script.length());
    script.codePoints().forEach(cp -> out.appendCodePoint(Character.isISOControl(cp) ? ' ' : cp));
    return out.toString().replaceAll("\\s+", " ").strip();
  }

  /** The script in cues of up to {@link #MAX_LINES} lines of at most {@code chars} characters. */
  private static List<List<String>> chunks(String text, int chars) {
    List<String> lines = new ArrayList<>();
    StringBuilder line = new StringBuilder();
    for (String word : text.split(" ")) {
      if (line.length() > 0 && line.length() + 1 + word.length() > chars) {
        lines.add(line.toString());
        line.setLength(0);
      }
      line.append(line.length() > 0 ? " " : "").append(word);
    }
    if (line.length() > 0) {
      lines.add(line.toString());
    }
    List<List<String>> chunks = new ArrayList<>();
    for (int i = 0; i < lines.size(); i += MAX_LINES) {
      chunks.add(List.copyOf(lines.subList(i, Math.min(lines.size(), i + MAX_LINES))));
    }
    return chunks;
  }

  private static int wordCount(List<String> lines) {
    return lines.stream().mapToInt(l -> l.split(" ").length).sum();
  }

  private static String clock(int ms, char separator) {
    return String.format(Locale.ROOT, "%02d:%02d:%02d%c%03d", ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60,
        separator, ms % 1000);
  }

  private static String assClock(int ms) {
    return String.format(Locale.ROOT, "%d:%02d:%02d.%02d", ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60,
        ms % 1000 / 10);
  }
}
