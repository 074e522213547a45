package io.reelflow.composition;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads what the inspection pass and ffprobe found in a composed video and decides whether it may
 * be shown: no black stretch of a second or more, no picture frozen for three seconds, a voice
 * wherever a voice-over was planned, one H.264 video stream of the planned size at 25 fps, one
 * AAC stream, and a duration within 0.1 s of the plan. Loudness is measured and reported, not
 * judged (the composition sets it).
 */
final class QualityGate {

  /** A stretch of the video, in seconds. */
  record Span(double start, double end) {}

  /** What was found; {@code problems} empty means the video passes. */
  record Report(List<String> problems, Double integratedLufs, Double truePeakDb, double durationSeconds) {

    boolean passed() {
      return problems.isEmpty();
    }
  }

  static final double DURATION_TOLERANCE = 0.1;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern BLACK = Pattern.compile("black_start:\\s*([\\d.]+)\\s+black_end:\\s*([\\d.]+)");
  private static final Pattern FREEZE_START = Pattern.compile("freeze_start:\\s*([\\d.]+)");
  private static final Pattern FREEZE_END = Pattern.compile("freeze_end:\\s*([\\d.]+)");
  private static final Pattern SILENCE_START = Pattern.compile("silence_start:\\s*(-?[\\d.]+)");
  private static final Pattern SILENCE_END = Pattern.compile("silence_end:\\s*([\\d.]+)");
  private static final Pattern INTEGRATED = Pattern.compile("Integrated loudness:\\s*\\n\\s*I:\\s*(-?[\\d.]+|-inf)\\s*LUFS");
  private static final Pattern TRUE_PEAK = Pattern.compile("True peak:\\s*\\n\\s*Peak:\\s*(-?[\\d.]+|-inf)\\s*dBFS");

  private QualityGate() {}

  static Report judge(CompositionPlan plan, String inspection, String probe) {
    String log = inspection == null ? "" : inspection;
    double total = plan.totalMs() / 1000.0;
    List<String> problems = new ArrayList<>();
    for (Span black : spans(log, BLACK, null, total)) {
      problems.add(String.format(Locale.ROOT, "black picture from %.1f s to %.1f s", black.start(), black.end()));
    }
    for (Span frozen : spans(log, FREEZE_START, FREEZE_END, total)) {
      problems.add(String.format(Locale.ROOT, "frozen picture from %.1f s to %.1f s", frozen.start(), frozen.end()));
    }
    List<Span> silences = spans(log, SILENCE_START, SILENCE_END, total);
    List<Captions.Spoken> spoken = plan.spoken();
    for (int i = 0; i < spoken.size(); i++) {
      Captions.Spoken scene = spoken.get(i);
      if (scene.script() == null || scene.script().isBlank()) {
        continue;
      }
      int speaks = scene.voicedMs();
      if (speaks < 200) {
        continue; // its voice-over was trimmed away
      }
      double from = scene.startMs() / 1000.0 + 0.05;
      double to = (scene.startMs() + speaks) / 1000.0 - 0.05;
      if (silences.stream().anyMatch(s -> s.start() <= from && s.end() >= to)) {
        problems.add("scene " + plan.scenes().get(i).sequence() + " is silent where its voice-over was planned");
      }
    }
    double duration = streams(plan, probe, problems);
    if (Math.abs(duration - total) > DURATION_TOLERANCE) {
      problems.add(String.format(Locale.ROOT, "lasts %.3f s, not the planned %.3f s", duration, total));
    }
    return new Report(problems, measure(log, INTEGRATED), measure(log, TRUE_PEAK), duration);
  }

  /** Checks the streams ffprobe saw; returns the container's duration. */
  private static double streams(CompositionPlan plan, String probe, List<String> problems) {
    JsonNode root;
    try {
      root = JSON.readTree(probe == null ? "" : probe);
    } catch (IOException e) {
      problems.add("ffprobe could not read the video");
      return 0;
    }
    if (root == null) {
      problems.add("ffprobe could not read the video");
      return 0;
    }
    List<JsonNode> video = new ArrayList<>();
    List<JsonNode> audio = new ArrayList<>();
    root.path("streams").forEach(s -> (s.path("codec_type").asText().equals("video") ? video : audio).add(s));
    if (video.size() != 1 || audio.size() != 1) {
      problems.add("has " + video.size() + " video and " + audio.size() + " audio streams, not one of each");
      return root.path("format").path("duration").asDouble(0);
    }
    JsonNode v = video.get(0);
    String picture = v.path("codec_name").asText() + " " + v.path("profile").asText() + " " + v.path("width").asInt() + "x"
        + v.path("height").asInt() + " " + v.path("avg_frame_rate").asText() + " " + v.path("pix_fmt").asText();
    String wanted = "h264 High " + plan.width() + "x" + plan.height() + " 25/1 yuv420p";
    if (!picture.equals(wanted)) {
      problems.add("video stream is " + picture + ", not " + wanted);
    }
    JsonNode a = audio.get(0);
    String sound = a.path("codec_name").asText() + " " + a.path("sample_rate").asText() + " " + a.path("channels").asInt();
    if (!sound.equals("aac 48000 2")) {
      problems.add("audio stream is " + sound + ", not aac 48000 2");
    }
    return root.path("format").path("duration").asDouble(0);
  }

  /**
   * Stretches reported by a detector: each start with the end that follows it; a start without an
   * end lasts to the end of the video.
   */
  static List<Span> spans(String log, Pattern start, Pattern end, double total) {
    List<Span> spans = new ArrayList<>();
    if (end == null) {
      Matcher m = start.matcher(log);
      while (m.find()) {
        spans.add(new Span(Double.parseDouble(m.group(1)), Double.parseDouble(m.group(2))));
      }
      return spans;
    }
    Matcher starts = start.matcher(log);
    Matcher ends = end.matcher(log);
    int from = 0;
    while (starts.find(from)) {
      double s = Math.max(0, Double.parseDouble(starts.group(1)));
      double e = total;
      if (ends.find(starts.end())) {
        e = Double.parseDouble(ends.group(1));
        from = ends.end();
      } else {
        from = starts.end();
      }
      spans.add(new Span(s, e));
    }
    return spans;
  }

  private static Double measure(String log, Pattern pattern) {
    Matcher m = pattern.matcher(log);
    Double last = null;
    while (m.find()) {
      last = m.group(1).equals("-inf") ? Double.NEGATIVE_INFINITY : Double.parseDouble(m.group(1));
    }
    return last;
  }
}
