package io.reelflow.provider;

/**
 * Escaping for values placed inside an ffmpeg filter graph. A value is escaped twice: once as a
 * filter option value ({@code \ ' :}) and once for the graph ({@code \ ' [ ] , ;}). Prompt text is
 * never placed in a graph at all: it goes through files ({@code textfile=}).
 */
public final class FilterGraph {

  private FilterGraph() {}

  /** Escapes {@code value} so it stays one option value inside one filter of a graph. */
  public static String quote(String value) {
    return escape(escape(value, "\\':"), "\\'[],;");
  }

  private static String escape(String value, String special) {
    StringBuilder out = new StringBuilder(value.length() + 8);
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (special.indexOf(c) >= 0) {
        out.append('\\');
      }
      out.append(c);
    }
    return out.toString();
  }
}
