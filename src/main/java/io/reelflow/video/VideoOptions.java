package io.reelflow.video;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What the user asked for besides the prompt, stored as {@code videos.options}.
 *
 * @param durationSeconds total length of the final video
 * @param aspectRatio {@code 16:9}, {@code 9:16} or {@code 1:1}
 * @param resolution {@code 480p}, {@code 720p} or {@code 1080p}: the short side in pixels
 * @param mode {@code ad}, {@code explainer}, {@code story} or {@code music_video}
 * @param tone free-form mood ("warm", "energetic", …); null for the mode's default
 * @param style a director style name; null for none
 * @param voice a voice id of the speech provider; null for its default
 * @param music whether a music bed plays under the video
 * @param captions whether captions are burned in
 * @param referenceImageUrl an image the visuals should follow; null for none
 * @param cache {@code auto} (reuse an equivalent earlier video) or {@code off}; not part of the
 *     rendering, so not part of {@link #renderKey()}
 * @param scenes the user's own shot list, which replaces planning; null to have the video planned
 */
public record VideoOptions(
    @JsonProperty("duration_seconds") int durationSeconds,
    @JsonProperty("aspect_ratio") String aspectRatio,
    @JsonProperty("resolution") String resolution,
    @JsonProperty("mode") String mode,
    @JsonProperty("tone") String tone,
    @JsonProperty("style") String style,
    @JsonProperty("voice") String voice,
    @JsonProperty("music") boolean music,
    @JsonProperty("captions") boolean captions,
    @JsonProperty("reference_image_url") String referenceImageUrl,
    @JsonProperty("cache") String cache,
    @JsonProperty("scenes") @JsonInclude(JsonInclude.Include.NON_NULL) List<Shot> scenes) {

  public VideoOptions {
    mode = mode == null ? "ad" : mode;
    cache = cache == null ? "auto" : cache;
    scenes = scenes == null ? null : List.copyOf(scenes);
  }

  /** Options of a video that is planned (no shot list). */
  public VideoOptions(int durationSeconds, String aspectRatio, String resolution, String mode, String tone,
      String style, String voice, boolean music, boolean captions, String referenceImageUrl, String cache) {
    this(durationSeconds, aspectRatio, resolution, mode, tone, style, voice, music, captions, referenceImageUrl, cache,
        null);
  }

  /** Defaults for everything but the frame: an ad with music and captions. */
  public VideoOptions(int durationSeconds, String aspectRatio, String resolution) {
    this(durationSeconds, aspectRatio, resolution, "ad", null, null, null, true, true, null, "auto");
  }

  /** Everything that changes the rendered video, in a fixed order: two equal keys, one video. */
  @JsonIgnore
  public String renderKey() {
    return String.join("|", String.valueOf(durationSeconds), aspectRatio, resolution, mode,
        String.valueOf(tone), String.valueOf(style), String.valueOf(voice), String.valueOf(music),
        String.valueOf(captions), String.valueOf(referenceImageUrl))
        + (scenes == null ? "" : "|shots:" + Sha256.hex(scenes.stream()
            .map(s -> s.headline() + "\u0000" + s.visualPrompt() + "\u0000" + s.audioScript() + "\u0000" + s.durationSeconds())
            .collect(Collectors.joining("\u0001"))));
  }

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
