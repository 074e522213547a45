package io.reelflow.video;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What the user asked for besides the prompt, stored as {@code videos.options}.
 *
 * @param durationSeconds total length of the final video
 * @param aspectRatio {@code 16:9}, {@code 9:16} or {@code 1:1}
 * @param resolution {@code 480p}, {@code 720p} or {@code 1080p}: the short side in pixels
 */
public record VideoOptions(
    @JsonProperty("duration_seconds") int durationSeconds,
    @JsonProperty("aspect_ratio") String aspectRatio,
    @JsonProperty("resolution") String resolution) {

  /** Frame width in pixels for the aspect ratio and resolution; always even. */
  @JsonIgnore
  public int width() {
    return switch (aspectRatio) {
      case "16:9" -> longSide();
      default -> shortSide();
    };
  }

  /** Frame height in pixels for the aspect ratio and resolution; always even. */
  @JsonIgnore
  public int height() {
    return switch (aspectRatio) {
      case "9:16" -> longSide();
      default -> shortSide();
    };
  }

  private int shortSide() {
    return Integer.parseInt(resolution.substring(0, resolution.length() - 1));
  }

  private int longSide() {
    int exact = (int) Math.round(shortSide() * 16 / 9.0);
    return exact + (exact % 2);
  }
}
