package io.reelflow.composition;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Locale;

/**
 * What {@code loudnorm} measured of the mix (its JSON on stderr), and the filter that brings the
 * mix to −14 LUFS integrated with true peaks under −1.5 dBTP in one linear gain (two-pass
 * loudnorm: exact, and no pumping). A silent mix is passed through unchanged.
 */
record Loudness(double inputI, double inputTp, double inputLra, double inputThresh, double offset) {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The measurement in {@code stderr}; null when there is none (ffmpeg failed before printing it). */
  static Loudness parse(String stderr) {
    if (stderr == null) {
      return null;
    }
    int end = stderr.lastIndexOf('}');
    int start = end < 0 ? -1 : stderr.lastIndexOf('{', end);
    if (start < 0) {
      return null;
    }
    try {
      JsonNode m = JSON.readTree(stderr.substring(start, end + 1));
      return new Loudness(number(m, "input_i"), number(m, "input_tp"), number(m, "input_lra"),
          number(m, "input_thresh"), number(m, "target_offset"));
    } catch (IOException | NumberFormatException e) {
      return null;
    }
  }

  /** True when there is nothing to normalise (no voice, no music). */
  boolean silent() {
    return Double.isInfinite(inputI) || Double.isNaN(inputI) || inputI < -70;
  }

  /** The filter of the final pass: the linear second pass of loudnorm, resampled back to 48 kHz. */
  String filter() {
    if (silent()) {
      return "anull";
    }
    return String.format(Locale.ROOT, "loudnorm=%s:measured_I=%.2f:measured_TP=%.2f:measured_LRA=%.2f"
        + ":measured_thresh=%.2f:offset=%.2f:linear=true:print_format=none,aresample=48000",
        AudioMixCommand.LOUDNORM_TARGET, inputI, inputTp, inputLra, inputThresh, offset);
  }

  private static double number(JsonNode m, String field) {
    String text = m.path(field).asText("");
    return switch (text) {
      case "-inf" -> Double.NEGATIVE_INFINITY;
      case "inf" -> Double.POSITIVE_INFINITY;
      default -> Double.parseDouble(text);
    };
  }
}
