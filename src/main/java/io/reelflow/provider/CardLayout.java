package io.reelflow.provider;

import java.util.ArrayList;
import java.util.List;

/**
 * Where a title card puts its headline, by aspect ratio. Everything stays inside the title-safe
 * area (10% of the frame on each side). A landscape frame sets the headline in the lower third,
 * aligned to its reading side, like a broadcast lower third; a portrait frame centres it in the
 * upper middle, above the part of the screen that short-video apps cover with their own buttons
 * and captions; a square frame centres it. An accent bar sits above the first line.
 *
 * @param width frame width
 * @param height frame height
 */
public record CardLayout(int width, int height) {

  /** How the lines of a headline line up. */
  public enum Align { LEFT, CENTER, RIGHT }

  /**
   * A headline fitted to the frame.
   *
   * @param lines the wrapped lines, at most five
   * @param fontSize font size in pixels
   * @param align how the lines line up
   */
  public record Headline(List<String> lines, int fontSize, Align align) {

    public Headline {
      lines = List.copyOf(lines);
    }
  }

  /** A filled rectangle, in frame pixels. */
  public record Box(int x, int y, int w, int h) {}

  /** Smaller sizes tried in turn when the headline needs more lines than the layout shows. */
  private static final double[] SHRINK = {1.0, 0.85, 0.72};

  /** Line height as a multiple of the font size. */
  static final double LEADING = 1.22;

  /** Height of a capital letter as a multiple of the font size (DejaVu Sans Bold: 0.73). */
  static final double CAP_HEIGHT = 0.73;

  /** Whether the frame is wider than tall (a lower-third layout). */
  public boolean landscape() {
    return width > height;
  }

  /** Left and right title-safe margin in pixels. */
  public int marginX() {
    return (int) Math.round(width * 0.10);
  }

  /** Top and bottom title-safe margin in pixels. */
  public int marginY() {
    return (int) Math.round(height * 0.10);
  }

  /**
   * Widest line in pixels: the title-safe width, or 72% of a landscape frame, where a lower third
   * that runs edge to edge reads as a banner rather than a title.
   */
  public int textWidth() {
    return landscape() ? (int) Math.round(width * 0.72) : width - 2 * marginX();
  }

  /** Font size before shrinking: an eleventh of the height of a landscape frame, else a twelfth of the width. */
  public int baseFontSize() {
    return Math.max(8, landscape() ? height / 11 : width / 12);
  }

  /** Lines shown before the font shrinks: four in a portrait frame, whose lines are short, else three. */
  public int maxLines() {
    return height > width ? 4 : 3;
  }

  /**
   * Wraps the headline to the text width, shrinking the font (to 85%, then 72%) while it needs
   * more than {@link #maxLines} lines; at the smallest size one more line is allowed, then it is
   * cut with an ellipsis. Lines are balanced to similar lengths. Text that reads right to left
   * aligns right in a landscape frame.
   */
  public Headline fit(String headline) {
    Align align = !landscape() ? Align.CENTER : CardText.rightToLeft(headline) ? Align.RIGHT : Align.LEFT;
    int size = baseFontSize();
    for (double shrink : SHRINK) {
      size = Math.max(8, (int) Math.round(baseFontSize() * shrink));
      List<String> lines = CardText.wrap(headline, textWidth() / (double) size, Integer.MAX_VALUE);
      if (lines.size() <= maxLines()) {
        return new Headline(balanced(headline, textWidth() / (double) size, lines), size, align);
      }
    }
    return new Headline(CardText.wrap(headline, textWidth() / (double) size, maxLines() + 1), size, align);
  }

  /**
   * The same number of lines at the narrowest width that still needs no more, so a headline
   * breaks into lines of similar length instead of leaving one word alone on the last line.
   */
  private static List<String> balanced(String headline, double maxEms, List<String> lines) {
    double low = 0;
    double high = maxEms;
    while (high - low > 0.25) {
      double mid = (low + high) / 2;
      if (CardText.wrap(headline, mid, Integer.MAX_VALUE).size() <= lines.size()) {
        high = mid;
      } else {
        low = mid;
      }
    }
    return CardText.wrap(headline, high, lines.size());
  }

  /** Distance between baselines for a font size. */
  public int lineHeight(int fontSize) {
    return (int) Math.round(fontSize * LEADING);
  }

  /**
   * The baseline of each line, top to bottom. A landscape headline grows upwards from a last
   * baseline at 76% of the height (descenders stay clear of the caption band above the bottom
   * margin, where composition burns in two lines of captions); a portrait one is
   * centred on 40% of the height, a square one on the middle.
   */
  public List<Integer> baselines(Headline headline) {
    List<Integer> baselines = new ArrayList<>();
    for (int i = 0; i < headline.lines().size(); i++) {
      baselines.add(firstBaseline(headline) + i * lineHeight(headline.fontSize()));
    }
    return baselines;
  }

  private int firstBaseline(Headline headline) {
    int gaps = Math.max(0, headline.lines().size() - 1) * lineHeight(headline.fontSize());
    if (landscape()) {
      return (int) Math.round(height * 0.76) - gaps;
    }
    int cap = (int) Math.round(headline.fontSize() * CAP_HEIGHT);
    double centre = width == height ? height * 0.50 : height * 0.40;
    return (int) Math.round(centre - (gaps + cap) / 2.0) + cap;
  }

  /** The accent bar: a short rule above the first line, on the side the lines line up to. */
  public Box accentBar(Headline headline) {
    int size = headline.fontSize();
    int w = Math.max(8, (int) Math.round(size * 1.6));
    int h = Math.max(2, size / 10);
    int capTop = firstBaseline(headline) - (int) Math.round(size * CAP_HEIGHT);
    int y = capTop - (int) Math.round(size * 0.45) - h;
    int x = switch (headline.align()) {
      case LEFT -> marginX();
      case RIGHT -> width - marginX() - w;
      case CENTER -> (width - w) / 2;
    };
    return new Box(x, y, w, h);
  }

  /**
   * The band to darken behind the headline, from a font size above the accent bar to a font size
   * below the last baseline, full width.
   */
  public Box scrim(Headline headline) {
    int lastBaseline = firstBaseline(headline)
        + Math.max(0, headline.lines().size() - 1) * lineHeight(headline.fontSize());
    int top = Math.max(0, accentBar(headline).y() - headline.fontSize());
    int bottom = Math.min(height, lastBaseline + headline.fontSize());
    return new Box(0, top, width, bottom - top);
  }
}
