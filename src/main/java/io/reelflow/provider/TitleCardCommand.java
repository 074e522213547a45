package io.reelflow.provider;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Builds the ffmpeg argument list that renders a scene as a moving title card: an animated
 * two-colour gradient, the headline (read from a file) drifting gently, encoded as H.264 at the
 * exact frame count of the scene.
 *
 * @param width frame width
 * @param height frame height
 * @param frames exact number of frames at {@link #FPS}
 * @param colors the two gradient colours, as {@code 0xRRGGBB}
 * @param seed gradient seed, so each scene moves differently
 * @param fontFile TrueType font for the text
 * @param textFile file holding the wrapped headline
 * @param output the MP4 to write
 */
public record TitleCardCommand(
    int width,
    int height,
    int frames,
    List<String> colors,
    long seed,
    Path fontFile,
    Path textFile,
    Path output) {

  /** Frame rate of every clip Reelflow renders and composes. */
  public static final int FPS = 25;

  /** Font size in pixels: a twelfth of the short side. */
  public int fontSize() {
    return Math.min(width, height) / 12;
  }

  /** Characters per line that fit inside the safe margins (80% of the width). */
  public int charsPerLine() {
    return Math.max(8, (int) (width * 0.8 / (fontSize() * 0.62)));
  }

  /** The argument list, starting with the ffmpeg executable. */
  public List<String> arguments(String ffmpeg, int threads) {
    String seconds = String.format(Locale.ROOT, "%.3f", frames / (double) FPS);
    String source =
        String.format(
            Locale.ROOT,
            "gradients=s=%dx%d:r=%d:d=%s:c0=%s:c1=%s:speed=0.015:seed=%d",
            width, height, FPS, seconds, colors.get(0), colors.get(1), seed);
    String text =
        String.format(
            Locale.ROOT,
            "drawtext=fontfile=%s:textfile=%s:expansion=none:fontcolor=white:fontsize=%d"
                + ":line_spacing=%d:box=1:boxcolor=black@0.35:boxborderw=%d"
                + ":x=(w-text_w)/2:y=(h-text_h)/2+%d*sin(2*PI*t/%s)"
                + ":alpha=min(1\\,t/0.4)",
            FilterGraph.quote(fontFile.toString()),
            FilterGraph.quote(textFile.toString()),
            fontSize(),
            fontSize() / 4,
            fontSize() / 2,
            Math.max(4, height / 60),
            seconds);
    List<String> args = new ArrayList<>(List.of(
        ffmpeg, "-hide_banner", "-nostdin", "-loglevel", "error", "-y",
        "-f", "lavfi", "-i", source,
        "-vf", text + ",format=yuv420p"));
    args.addAll(clipEncoding(frames, threads, output));
    return args;
  }

  /**
   * The output arguments every scene clip shares (H.264 High, the same GOP, no audio, exactly
   * {@code frames} frames), so that composition can join clips of any provider by stream copy.
   */
  static List<String> clipEncoding(int frames, int threads, Path output) {
    return List.of("-frames:v", Integer.toString(frames),
        "-c:v", "libx264", "-profile:v", "high", "-preset", "veryfast", "-crf", "23",
        "-g", Integer.toString(FPS * 2), "-threads", Integer.toString(threads),
        "-movflags", "+faststart", "-an", output.toString());
  }
}
