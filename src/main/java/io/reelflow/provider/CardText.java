package io.reelflow.provider;

import java.util.ArrayList;
import java.util.List;

/**
 * Prepares prompt text for a title card: removes what the font cannot draw or a terminal would
 * interpret (control characters, emoji outside the font), and wraps it to lines that fit.
 */
public final class CardText {

  private static final String NARROW = " !'(),-./:;I[\\]fijlt|";
  private static final String WIDE = "%@MWmw…";
  private static final String RLM = "\u200f";

  private CardText() {}

  /** Printable text on one line: control characters and unsupported symbols become spaces. */
  public static String clean(String text) {
    StringBuilder out = new StringBuilder(text.length());
    text.codePoints()
        .forEach(
            cp -> {
              boolean drawable =
                  !Character.isISOControl(cp)
                      && Character.getType(cp) != Character.FORMAT
                      && !(Character.isSupplementaryCodePoint(cp)
                          && Character.getType(cp) == Character.OTHER_SYMBOL)
                      && !(cp >= 0xFE00 && cp <= 0xFE0F);
              out.appendCodePoint(drawable ? cp : ' ');
            });
    return out.toString().replaceAll("\\s+", " ").strip();
  }

  /**
   * Wraps cleaned text at word boundaries into at most {@code maxLines} lines, each at most {@code
   * maxEms} wide by {@link #ems}; a word wider than a line is cut, and text beyond the last line
   * ends in an ellipsis.
   */
  public static List<String> wrap(String text, double maxEms, int maxLines) {
    List<String> lines = new ArrayList<>();
    StringBuilder line = new StringBuilder();
    for (String word : clean(text).split(" ")) {
      if (word.isEmpty()) {
        continue;
      }
      while (ems(word) > maxEms) {
        flush(lines, line);
        int cut = fitting(word, maxEms);
        lines.add(word.substring(0, cut));
        word = word.substring(cut);
      }
      if (line.length() > 0 && ems(line + " " + word) > maxEms) {
        flush(lines, line);
      }
      if (line.length() > 0) {
        line.append(' ');
      }
      line.append(word);
    }
    flush(lines, line);
    if (lines.size() > maxLines) {
      List<String> kept = new ArrayList<>(lines.subList(0, maxLines));
      kept.set(maxLines - 1, ellipsis(kept.get(maxLines - 1), maxEms));
      return kept;
    }
    return lines;
  }

  /** The line shortened (by words, else by characters) until it fits with an ellipsis after it. */
  private static String ellipsis(String line, double maxEms) {
    String kept = line;
    while (kept.length() > 1 && ems(kept + "…") > maxEms) {
      int space = kept.lastIndexOf(' ');
      kept = space > 0 ? kept.substring(0, space) : kept.substring(0, kept.length() - 1);
      if (Character.isHighSurrogate(kept.charAt(kept.length() - 1))) {
        kept = kept.substring(0, kept.length() - 1);
      }
    }
    return kept + "…";
  }

  /**
   * Estimated width of {@code text} in ems of DejaVu Sans Bold, the card font: each character
   * counts as the widest of its class (narrow punctuation and i, l, t: 0.48; lower case: 0.72;
   * capitals, digits and symbols: 0.86; m, w, M, W, % and @: 1.11). For ASCII the estimate is an
   * upper bound, so a line estimated to fit does fit (typical text is about 15% narrower: the
   * font measures "Ready for something better?" at 0.60 em a character). Other scripts count as
   * capitals.
   */
  public static double ems(String text) {
    double width = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (NARROW.indexOf(c) >= 0) {
        width += 0.48;
      } else if (WIDE.indexOf(c) >= 0) {
        width += 1.11;
      } else if (c >= 'a' && c <= 'z') {
        width += 0.72;
      } else if (Character.isLowSurrogate(c)) {
        continue;
      } else {
        width += 0.86;
      }
    }
    return width;
  }

  /**
   * Whether the text reads right to left: its first letter with a strong direction is Hebrew,
   * Arabic or another right-to-left script.
   */
  public static boolean rightToLeft(String text) {
    return text.codePoints()
        .map(Character::getDirectionality)
        .filter(d -> d == Character.DIRECTIONALITY_LEFT_TO_RIGHT || d == Character.DIRECTIONALITY_RIGHT_TO_LEFT
            || d == Character.DIRECTIONALITY_RIGHT_TO_LEFT_ARABIC)
        .findFirst()
        .orElse(Character.DIRECTIONALITY_LEFT_TO_RIGHT) != Character.DIRECTIONALITY_LEFT_TO_RIGHT;
  }

  /**
   * A line as drawtext should read it. ffmpeg 5.1's drawtext orders each line with fribidi in a
   * left-to-right paragraph, which puts the neutral punctuation at either end of a right-to-left
   * line ("!", "—", ".") on the wrong side; right-left marks (U+200F, drawn as nothing) around
   * such a line make the whole line one right-to-left run.
   */
  public static String forDrawtext(String line) {
    return rightToLeft(line) ? RLM + line + RLM : line;
  }

  private static int fitting(String word, double maxEms) {
    int cut = 1;
    while (cut < word.length() && ems(word.substring(0, cut + 1)) <= maxEms) {
      cut++;
    }
    if (Character.isHighSurrogate(word.charAt(cut - 1)) && cut < word.length()) {
      cut++;
    }
    return cut;
  }

  private static void flush(List<String> lines, StringBuilder line) {
    if (line.length() > 0) {
      lines.add(line.toString());
      line.setLength(0);
    }
  }
}
