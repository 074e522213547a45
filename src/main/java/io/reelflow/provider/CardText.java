package io.reelflow.provider;

import java.util.ArrayList;
import java.util.List;

/**
 * Prepares prompt text for a title card: removes what the font cannot draw or a terminal would
 * interpret (control characters, emoji outside the font), and wraps it to lines that fit.
 */
public final class CardText {

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

  /** Wraps cleaned text at word boundaries into at most {@code maxLines} lines. */
  public static List<String> wrap(String text, int maxChars, int maxLines) {
    List<String> lines = new ArrayList<>();
    StringBuilder line = new StringBuilder();
    for (String word : clean(text).split(" ")) {
      if (word.isEmpty()) {
        continue;
      }
      while (word.length() > maxChars) {
        flush(lines, line);
        lines.add(word.substring(0, maxChars));
        word = word.substring(maxChars);
      }
      if (line.length() > 0 && line.length() + 1 + word.length() > maxChars) {
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
      kept.set(maxLines - 1, kept.get(maxLines - 1) + "…");
      return kept;
    }
    return lines;
  }

  private static void flush(List<String> lines, StringBuilder line) {
    if (line.length() > 0) {
      lines.add(line.toString());
      line.setLength(0);
    }
  }
}
