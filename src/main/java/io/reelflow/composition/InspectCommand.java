package io.reelflow.composition;

import io.reelflow.provider.TitleCardCommand;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.StringJoiner;

/**
 * The last ffmpeg pass, which decodes the composed video once for everything that looks at it:
 * the thumbnail (480 px wide) and the poster frame (full size), both from the middle of the first
 * scene where its headline is fully shown; {@code samples} frames of every scene for the output
 * moderation ({@code sample-001.jpg}, …, and tiled into {@code contact-sheet.jpg}); and the quality detectors, whose findings go to stderr:
 * {@code blackdetect} (black for a second or more), {@code freezedetect} (no change for
 * {@link #FREEZE_SECONDS}), {@code ebur128} (integrated loudness and true peak) and, on the voice
 * bus alone, {@code silencedetect} (a scene whose voice-over is silent).
 */
record InspectCommand(CompositionPlan plan, int samples) {

  static final double BLACK_SECONDS = 1.0;
  static final double FREEZE_SECONDS = 3.0;
  static final String SAMPLE_PATTERN = "sample-%03d.jpg";
  static final String CONTACT_SHEET = "contact-sheet.jpg";

  List<String> arguments(int threads) {
    int posterFrame = frameAt(plan.scenes().get(0).durationMs() / 2);
    String graph = String.join(";",
        "[0:v]split=4[t][p][s][d]",
        "[t]select='eq(n\\," + posterFrame + ")',scale=480:-2[thumb]",
        "[p]select='eq(n\\," + posterFrame + ")'[poster]",
        "[s]select='" + sampleExpression() + "',scale=512:-2,split=2[samples][tiles]",
        "[tiles]scale=256:-2,tile=" + sheetLayout() + "[sheet]",
        String.format(Locale.ROOT, "[d]blackdetect=d=%.1f:pix_th=0.10,freezedetect=n=-60dB:d=%.1f[detected]",
            BLACK_SECONDS, FREEZE_SECONDS),
        "[0:a]ebur128=peak=true:framelog=verbose[loudness]",
        "[1:a]silencedetect=n=-45dB:d=0.3[silence]");
    return List.of("-hide_banner", "-nostdin", "-nostats", "-loglevel", "info", "-y",
        "-i", plan.file(CompositionPlan.OUTPUT).toString(), "-i", plan.file(CompositionPlan.VOICE).toString(),
        "-filter_complex", graph, "-threads", Integer.toString(threads),
        "-map", "[thumb]", "-frames:v", "1", "-q:v", "4", plan.file(CompositionPlan.THUMBNAIL).toString(),
        "-map", "[poster]", "-frames:v", "1", "-q:v", "2", plan.file(CompositionPlan.POSTER).toString(),
        "-map", "[samples]", "-fps_mode", "vfr", "-q:v", "5", plan.file(SAMPLE_PATTERN).toString(),
        "-map", "[sheet]", "-frames:v", "1", "-q:v", "5", plan.file(CONTACT_SHEET).toString(),
        "-map", "[detected]", "-map", "[loudness]", "-map", "[silence]", "-f", "null", "-");
  }

  /** Frame numbers of the samples: {@code samples} evenly inside each scene. */
  List<Integer> sampleFrames() {
    List<Integer> frames = new ArrayList<>();
    List<Integer> starts = plan.startsMs();
    for (int i = 0; i < plan.scenes().size(); i++) {
      int duration = plan.scenes().get(i).durationMs();
      for (int k = 1; k <= samples; k++) {
        frames.add(frameAt(starts.get(i) + duration * k / (samples + 1)));
      }
    }
    return frames;
  }

  /** Columns x rows of the contact sheet holding every sample, as square as it gets. */
  String sheetLayout() {
    int n = plan.scenes().size() * samples;
    int columns = (int) Math.ceil(Math.sqrt(n));
    int rows = (int) Math.ceil(n / (double) columns);
    return columns + "x" + rows + ":nb_frames=" + n;
  }

  private String sampleExpression() {
    StringJoiner any = new StringJoiner("+");
    sampleFrames().forEach(f -> any.add("eq(n\\," + f + ")"));
    return any.toString();
  }

  private static int frameAt(int millis) {
    return (int) ((long) millis * TitleCardCommand.FPS / 1000);
  }
}
