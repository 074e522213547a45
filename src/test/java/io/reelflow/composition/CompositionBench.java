package io.reelflow.composition;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * {@code scripts/bench composition}: the composition's ffmpeg passes, exactly as the route builds
 * them, against one hand-written ffmpeg command that makes the same MP4 (same clips, voice-overs,
 * music, transitions, captions, loudness target and encoder settings) in a single run; and the
 * time per minute of output at 480p, 720p and 1080p. Wall time and the peak resident memory
 * (VmHWM) of each ffmpeg process; the comparison is the median of {@code runs}, each minute of
 * output one run (a minute at 1080p takes long on two cores).
 *
 * <p>Inputs are made first and not timed: 5 s H.264 High clips of ffmpeg's moving test pattern,
 * espeak-ng voice-overs, a synthesised music bed.
 */
public final class CompositionBench {

  record Measure(double seconds, long peakKb) {}

  private static final List<String> LINES = List.of("Wake up to something better.", "Roasted this week, ground today.",
      "Every cup tastes like the first.", "From farm to cup in days.", "Try it free for a month.",
      "Order now at our website.");

  public static void main(String[] args) throws Exception {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 3;
    Path root = Files.createTempDirectory("reelflow-bench-composition");
    System.out.printf(Locale.ROOT, "composition benchmark, %d runs per measure, medians; work in %s%n", runs, root);

    CompositionPlan six = inputs(root.resolve("six-720p"), 1280, 720, 6);
    List<Measure> route = new ArrayList<>();
    List<Measure> routeEncode = new ArrayList<>();
    List<Measure> inspect = new ArrayList<>();
    List<Measure> hand = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      Measure mix = time(prefixed(new AudioMixCommand(six).arguments(2)));
      Loudness loudness = Loudness.parse(lastStderr);
      Measure encode = time(prefixed(new ComposeCommand(six, loudness, "veryfast", 21).arguments(2)));
      Measure look = time(prefixed(new InspectCommand(six, 2).arguments(2)));
      routeEncode.add(new Measure(mix.seconds() + encode.seconds(), Math.max(mix.peakKb(), encode.peakKb())));
      inspect.add(look);
      route.add(new Measure(mix.seconds() + encode.seconds() + look.seconds(),
          Math.max(Math.max(mix.peakKb(), encode.peakKb()), look.peakKb())));
      hand.add(time(handWritten(six)));
    }
    Measure r = median(routeEncode);
    Measure h = median(hand);
    Measure all = median(route);
    System.out.printf(Locale.ROOT, "6 x 5 s at 720p: mix + encode %.2f s (peak %d MB); hand-written single command"
        + " %.2f s (peak %d MB); ratio %.3f%n", r.seconds(), r.peakKb() / 1024, h.seconds(), h.peakKb() / 1024,
        r.seconds() / h.seconds());
    System.out.printf(Locale.ROOT, "  with the inspection pass (stills, samples, detectors): %.2f s (inspection %.2f s,"
        + " peak %d MB); ratio to the hand-written command %.3f%n", all.seconds(), median(inspect).seconds(),
        median(inspect).peakKb() / 1024, all.seconds() / h.seconds());

    for (int[] size : new int[][] {{854, 480}, {1280, 720}, {1920, 1080}}) {
      CompositionPlan minute = inputs(root.resolve("minute-" + size[1]), size[0], size[1], 12);
      Measure mix = time(prefixed(new AudioMixCommand(minute).arguments(2)));
      Loudness loudness = Loudness.parse(lastStderr);
      Measure encode = time(prefixed(new ComposeCommand(minute, loudness, "veryfast", 21).arguments(2)));
      Measure look = time(prefixed(new InspectCommand(minute, 2).arguments(2)));
      Measure m = new Measure(mix.seconds() + encode.seconds() + look.seconds(), Math.max(encode.peakKb(), look.peakKb()));
      System.out.printf(Locale.ROOT, "one minute of output at %dp (12 x 5 s, all three passes): %.2f s, peak %d MB%n",
          size[1], m.seconds(), m.peakKb() / 1024);
    }
  }

  /** The same MP4 in one command: the audio graph, single-pass loudnorm, the video graph, one encode. */
  static List<String> handWritten(CompositionPlan plan) {
    List<String> args = new ArrayList<>(List.of("ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error", "-y"));
    StringBuilder graph = new StringBuilder();
    int n = plan.scenes().size();
    for (CompositionPlan.Scene s : plan.scenes()) {
      args.addAll(List.of("-i", s.clip().toString()));
    }
    for (CompositionPlan.Scene s : plan.scenes()) {
      args.addAll(List.of("-i", s.speech().toString()));
    }
    args.addAll(List.of("-i", plan.music().toString()));
    int t = plan.transition().millis();
    for (int i = 0; i < n; i++) {
      graph.append(String.format(Locale.ROOT, "[%d:v]fps=25,format=yuv420p,tpad=stop_mode=clone:stop_duration=%.3f,"
          + "trim=duration=%.3f,setpts=PTS-STARTPTS[v%d];", i, (t + 1000) / 1000.0,
          (plan.scenes().get(i).durationMs() + (i == n - 1 ? 0 : t)) / 1000.0, i));
      graph.append(String.format(Locale.ROOT, "[%d:a]aresample=48000,aformat=sample_fmts=fltp:channel_layouts=stereo,"
          + "apad,atrim=end=%.3f[s%d];", n + i, plan.scenes().get(i).durationMs() / 1000.0, i));
    }
    String previous = "v0";
    int offset = 0;
    for (int i = 1; i < n; i++) {
      offset += plan.scenes().get(i - 1).durationMs();
      graph.append(String.format(Locale.ROOT, "[%s][v%d]xfade=transition=fade:duration=%.3f:offset=%.3f[x%d];",
          previous, i, t / 1000.0, offset / 1000.0, i));
      previous = "x" + i;
    }
    graph.append('[').append(previous).append("]subtitles=filename=").append(plan.file(CompositionPlan.ASS))
        .append("[vout];");
    for (int i = 0; i < n; i++) {
      graph.append("[s").append(i).append(']');
    }
    graph.append(String.format(Locale.ROOT, "concat=n=%d:v=0:a=1,asplit=2[vmix][vkey];[%d:a]aresample=48000,"
        + "aformat=sample_fmts=fltp:channel_layouts=stereo,volume=0.35[bed];"
        + "[bed][vkey]sidechaincompress=threshold=0.03:ratio=6:attack=20:release=400[ducked];"
        + "[vmix][ducked]amix=inputs=2:duration=first:normalize=0,loudnorm=I=-14:TP=-1.5:LRA=11,aresample=48000[aout]",
        n, 2 * n));
    args.addAll(List.of("-filter_complex", graph.toString(), "-map", "[vout]", "-map", "[aout]",
        "-c:v", "libx264", "-profile:v", "high", "-preset", "veryfast", "-crf", "21", "-pix_fmt", "yuv420p",
        "-g", "50", "-c:a", "aac", "-b:a", "160k", "-ar", "48000", "-ac", "2", "-threads", "2",
        "-t", String.format(Locale.ROOT, "%.3f", plan.totalMs() / 1000.0), "-movflags", "+faststart",
        plan.file("hand.mp4").toString()));
    return args;
  }

  /** Clips, voice-overs, music and captions for {@code scenes} scenes of 5 s at {@code width}×{@code height}. */
  static CompositionPlan inputs(Path dir, int width, int height, int scenes) throws Exception {
    Files.createDirectories(dir);
    List<CompositionPlan.Scene> planned = new ArrayList<>();
    for (int i = 0; i < scenes; i++) {
      Path clip = dir.resolve("scene-" + i + ".mp4");
      run(List.of("ffmpeg", "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i",
          "testsrc2=s=%dx%d:r=25:d=5".formatted(width, height), "-frames:v", "125", "-c:v", "libx264", "-profile:v",
          "high", "-preset", "veryfast", "-crf", "23", "-pix_fmt", "yuv420p", "-g", "50", clip.toString()));
      Path text = dir.resolve("line-" + i + ".txt");
      Files.writeString(text, LINES.get(i % LINES.size()), StandardCharsets.UTF_8);
      Path speech = dir.resolve("speech-" + i + ".wav");
      run(List.of("espeak-ng", "-v", "en-us", "-f", text.toString(), "-w", speech.toString()));
      planned.add(new CompositionPlan.Scene(i + 1, clip, speech, 5000, 0, LINES.get(i % LINES.size()), "Scene " + i));
    }
    Path music = dir.resolve("music.wav");
    run(List.of("ffmpeg", "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i",
        "sine=frequency=196:sample_rate=48000:duration=" + scenes * 5, "-af", "volume=0.3", music.toString()));
    CompositionPlan plan = new CompositionPlan(dir, width, height, planned, music, Transition.of("ad"), true);
    Composition.writeFiles(plan, "DejaVu Sans");
    return plan;
  }

  private static String lastStderr = "";

  /** Runs {@code command}, polling its peak resident memory; its stderr is kept in {@link #lastStderr}. */
  static Measure time(List<String> command) throws Exception {
    long start = System.nanoTime();
    Path log = Files.createTempFile("bench", ".log");
    Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    long peak = 0;
    while (!process.waitFor(20, TimeUnit.MILLISECONDS)) {
      peak = Math.max(peak, peakKb(process.pid()));
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    lastStderr = Files.readString(log);
    Files.delete(log);
    if (process.exitValue() != 0) {
      throw new IllegalStateException(String.join(" ", command) + "\n" + lastStderr);
    }
    return new Measure(seconds, peak);
  }

  private static long peakKb(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("\\D", ""));
        }
      }
    } catch (IOException | RuntimeException e) {
      // the process ended between two polls
    }
    return 0;
  }

  private static Measure median(List<Measure> measures) {
    List<Measure> sorted = measures.stream().sorted((a, b) -> Double.compare(a.seconds(), b.seconds())).toList();
    return sorted.get(sorted.size() / 2);
  }

  private static List<String> prefixed(List<String> args) {
    List<String> all = new ArrayList<>(List.of("ffmpeg"));
    all.addAll(args);
    return all;
  }

  private static void run(List<String> command) throws Exception {
    time(command);
  }

  private CompositionBench() {}
}
