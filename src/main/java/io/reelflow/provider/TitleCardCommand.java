package io.reelflow.provider;

import io.reelflow.provider.CardLayout.Box;
import io.reelflow.provider.CardLayout.Headline;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Builds the ffmpeg argument list that renders a scene as a motion card: a background plate (the
 * video's reference image, or a gradient in the tone's palette with a soft accent light), a slow
 * camera move across it, and the headline in the card font with an accent bar, fading in line by
 * line. Encoded as H.264 at the exact frame count of the scene.
 *
 * <p>Why it is built this way: this renders every scene of every offline video, several at once
 * on two cores. Everything costly (the gradient, the blur of the light, the darkening under the
 * text, the vignette, scaling the reference image) is computed for one frame only, the plate,
 * 12% larger than the frame. The plate is then repeated by {@code loop}, and the camera is a
 * {@code crop} window whose position moves with the frame number: it costs no pixel work at all.
 * A push-in measured worse on a 5 s 1280x720 card: zoompan 2.0 CPU-s and 2.1 s wall, a per-frame
 * {@code scale} 1.9–2.1 CPU-s and 2.2 s wall, against 1.7 CPU-s and 1.2 s for the crop (zoompan
 * runs on one thread), and both move their window in whole source pixels, a known cause of wobble
 * at slow zooms. The crop runs in 4:4:4 so the window can move by single pixels; in 4:2:0 it would jump two
 * at a time. Per frame there remains only the text, one conversion and the encoder.
 *
 * <p>Prompt text never enters the argument list: each line is read by {@code drawtext} from its
 * own file ({@code textfile=…:expansion=none}), and every path in the graph is escaped by {@link
 * FilterGraph#quote}. The reference image is an input file, not part of the graph.
 *
 * <p>Right-to-left text: Debian 12's ffmpeg 5.1 is built with libfribidi (not HarfBuzz), so
 * drawtext reorders Hebrew and Arabic and joins Arabic letters itself ({@code text_shaping}, on by
 * default); {@link CardText#forDrawtext} keeps the punctuation of such a line on its side, and a
 * right-to-left headline aligns right in a lower third. An ffmpeg without fribidi would draw the
 * letters unjoined in stored order: wrong to read, but the command is the same and still works.
 *
 * @param layout frame size and where the headline goes
 * @param frames exact number of frames at {@link #FPS}
 * @param palette the tone's colours
 * @param variant the scene's variation (its sequence number): camera move and light direction
 * @param reference the reference image to use as the plate; null for the gradient
 * @param fontFile TrueType font for the text
 * @param headline the fitted headline (only its line count, size and alignment are used here)
 * @param lineFiles one file per headline line, holding that line
 * @param output the MP4 to write
 */
public record TitleCardCommand(
    CardLayout layout,
    int frames,
    CardPalette palette,
    int variant,
    Path reference,
    Path fontFile,
    Headline headline,
    List<Path> lineFiles,
    Path output) {

  /** Frame rate of every clip Reelflow renders and composes. */
  public static final int FPS = 25;

  /** Frames of a scene of {@code millis} at {@link #FPS}, at least one. */
  public static int frames(int millis) {
    return Math.max(1, Math.round(millis * FPS / 1000f));
  }

  /** Plate size relative to the frame: the room the camera has to move in. */
  static final double OVERSCAN = 1.12;

  /** Camera moves as start and end of the crop window, in fractions of the overscan (x, y, x, y). */
  private static final double[][] MOVES = {
    {0, 0.5, 1, 0.5}, {1, 0.2, 0, 0.8}, {0, 0, 1, 1}, {1, 1, 0, 0}, {0, 1, 1, 0}, {1, 0.5, 0, 0.5}};

  /** Where the light end of the gradient lies, in fractions of the plate (the dark end is opposite). */
  private static final double[][] LIGHTS = {
    {0.85, 0.15}, {0.15, 0.15}, {0.85, 0.35}, {0.6, 0.1}, {0.15, 0.35}, {0.4, 0.1}};

  public TitleCardCommand {
    lineFiles = List.copyOf(lineFiles);
    if (lineFiles.size() != headline.lines().size()) {
      throw new IllegalArgumentException("one file per headline line: " + lineFiles.size() + " files for "
          + headline.lines().size() + " lines");
    }
  }

  /** The argument list, starting with the ffmpeg executable. */
  public List<String> arguments(String ffmpeg, int threads) {
    List<String> args = new ArrayList<>(List.of(ffmpeg, "-hide_banner", "-nostdin", "-loglevel", "error", "-y"));
    if (reference != null) {
      args.addAll(List.of("-i", reference.toString()));
    }
    args.addAll(List.of("-filter_complex", graph()));
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

  /** Plate width: the frame plus overscan, even. */
  int plateWidth() {
    return even(layout.width() * OVERSCAN);
  }

  /** Plate height: the frame plus overscan, even. */
  int plateHeight() {
    return even(layout.height() * OVERSCAN);
  }

  /** The filter graph, one output: plate, scrim, vignette, camera, text, 4:2:0. */
  String graph() {
    String lit = headline.lines().isEmpty() ? plate() + ","
        : plate() + "[plate];" + scrim() + "[scrim];[plate][scrim]overlay=format=rgb,";
    return lit + "vignette=angle=PI/7,format=yuv444p," + camera() + text() + "format=yuv420p";
  }

  /**
   * The background as one frame: the reference image covering the plate under a wash of the
   * palette's dark colour (it dims the photo so light text holds, and ties it to the tone), or the
   * gradient with a soft accent light at its light end.
   */
  private String plate() {
    int pw = plateWidth();
    int ph = plateHeight();
    if (reference != null) {
      return String.format(Locale.ROOT,
          "[0:v]scale=%1$d:%2$d:force_original_aspect_ratio=increase,crop=%1$d:%2$d,setsar=1,format=rgb24,"
              + "drawbox=x=0:y=0:w=%1$d:h=%2$d:color=%3$s@0.35:t=fill", pw, ph, palette.from());
    }
    double[] light = LIGHTS[Math.floorMod(variant, LIGHTS.length)];
    int lx = (int) Math.round(light[0] * pw);
    int ly = (int) Math.round(light[1] * ph);
    int glowW = (int) Math.round(pw * 0.38);
    int glowH = (int) Math.round(ph * 0.38);
    int glowX = lx - glowW / 2;
    int glowY = ly - glowH / 2;
    return String.format(Locale.ROOT,
        "gradients=s=%dx%d:r=%d:d=%s:c0=%s:c1=%s:x0=%d:y0=%d:x1=%d:y1=%d,format=rgb24,"
            + "drawbox=x=%d:y=%d:w=%d:h=%d:color=%s@0.35:t=fill,gblur=sigma=%d",
        pw, ph, FPS, oneFrame(), palette.from(), palette.to(), pw - lx, ph - ly, lx, ly,
        glowX, glowY, glowW, glowH, palette.accent(), Math.max(1, ph / 6));
  }

  /**
   * A soft black band over the plate behind the headline, tall enough to stay behind it wherever
   * the camera goes. (Drawn as a padded box: drawbox's {@code replace} on RGBA crashes ffmpeg 5.1.)
   */
  private String scrim() {
    Box band = layout.scrim(headline);
    int slack = (plateHeight() - layout.height()) / 2;
    return String.format(Locale.ROOT,
        "color=c=black@%s:s=%dx%d:r=%d:d=%s,format=rgba,pad=%d:%d:0:%d:color=black@0,gblur=sigma=%d",
        reference != null ? "0.55" : "0.32", plateWidth(), band.h() + 2 * slack, FPS, oneFrame(),
        plateWidth(), plateHeight(), band.y(), Math.max(1, plateHeight() / 5));
  }

  /** The plate repeated for every frame and a frame-sized window moving across it. */
  private String camera() {
    double[] move = MOVES[Math.floorMod(variant, MOVES.length)];
    int last = Math.max(1, frames - 1);
    return String.format(Locale.ROOT,
        "loop=loop=%d:size=1:start=0,setpts=N/%d/TB,"
            + "crop=%d:%d:x='(iw-ow)*(%s+(%s)*n/%d)':y='(ih-oh)*(%s+(%s)*n/%d)',",
        Math.max(0, frames - 1), FPS, layout.width(), layout.height(),
        num(move[0]), num(move[2] - move[0]), last, num(move[1]), num(move[3] - move[1]), last);
  }

  /** The accent bar and one drawtext per line, each line fading in and rising a little after the one above. */
  private String text() {
    if (headline.lines().isEmpty()) {
      return "";
    }
    StringBuilder out = new StringBuilder();
    Box bar = layout.accentBar(headline);
    out.append(String.format(Locale.ROOT, "drawbox=x=%d:y=%d:w=%d:h=%d:color=%s:t=fill,",
        bar.x(), bar.y(), bar.w(), bar.h(), palette.accent()));
    int size = headline.fontSize();
    List<Integer> baselines = layout.baselines(headline);
    for (int i = 0; i < lineFiles.size(); i++) {
      String shown = String.format(Locale.ROOT, "clip((t-%s)/0.6,0,1)", num(0.2 + 0.15 * i));
      out.append(String.format(Locale.ROOT,
          "drawtext=fontfile=%s:textfile=%s:expansion=none:fontsize=%d:fontcolor=%s"
              + ":shadowcolor=black@0.45:shadowx=%d:shadowy=%d"
              + ":x='%s':y='%d-ascent+%d*pow(1-%s,2)':alpha='%s',",
          FilterGraph.quote(fontFile.toString()), FilterGraph.quote(lineFiles.get(i).toString()), size,
          palette.text(), Math.max(1, size / 28), Math.max(1, size / 28), x(), baselines.get(i),
          Math.max(2, size / 3), shown, shown));
    }
    return out.toString();
  }

  /** The x expression of a line: at the left margin, centred, or ending at the right margin. */
  private String x() {
    return switch (headline.align()) {
      case LEFT -> Integer.toString(layout.marginX());
      case CENTER -> "(w-text_w)/2";
      case RIGHT -> "w-text_w-" + layout.marginX();
    };
  }

  private static String oneFrame() {
    return num(1.0 / FPS);
  }

  private static String num(double value) {
    return String.format(Locale.ROOT, "%.4f", value);
  }

  private static int even(double value) {
    int rounded = (int) Math.round(value);
    return rounded + (rounded % 2);
  }
}
