package io.reelflow.composition;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Real ffmpeg and espeak-ng: the three passes of a composition (mix, encode, inspect) on moving
 * test clips with spoken voice-overs and a music bed, checked with ffprobe and ffmpeg's own
 * meters, the way the composition route runs them.
 */
class CompositionRenderIT {

  static final ObjectMapper JSON = new ObjectMapper();
  static final List<String> SCRIPTS = List.of("Wake up to fresh coffee.", "Roasted this week, ground today.",
      "Order now and save ten percent.");

  @TempDir Path work;

  record Run(CompositionPlan plan, QualityGate.Report report, JsonNode probe) {}

  @ParameterizedTest
  @CsvSource({"16:9,854,480", "9:16,480,854", "1:1,480,480"})
  void composesAFinishedAdAtEveryAspectRatio(String aspect, int width, int height) throws Exception {
    Path dir = Files.createDirectories(work.resolve(aspect.replace(':', 'x')));
    Run run = compose(plan(dir, width, height, "ad", true, SCRIPTS, "testsrc2"));

    assertThat(run.report().problems()).isEmpty();
    JsonNode video = stream(run.probe(), "video");
    JsonNode audio = stream(run.probe(), "audio");
    assertThat(video.get("codec_name").asText() + " " + video.get("profile").asText()).isEqualTo("h264 High");
    assertThat(video.get("width").asInt()).isEqualTo(width);
    assertThat(video.get("height").asInt()).isEqualTo(height);
    assertThat(video.get("avg_frame_rate").asText()).isEqualTo("25/1");
    assertThat(audio.get("codec_name").asText()).isEqualTo("aac");
    assertThat(audio.get("sample_rate").asInt()).isEqualTo(48000);
    assertThat(run.probe().at("/format/duration").asDouble()).isCloseTo(6.0, org.assertj.core.data.Offset.offset(0.1));
    assertThat(Math.abs(audio.get("start_time").asDouble() - video.get("start_time").asDouble()))
        .as("A/V start offset").isLessThanOrEqualTo(0.040);
    assertThat(run.report().integratedLufs()).as("integrated loudness").isBetween(-15.0, -13.0);
    assertThat(run.report().truePeakDb()).as("true peak").isLessThanOrEqualTo(-1.0);
    assertThat(Files.readString(run.plan().file(CompositionPlan.SRT))).contains(SCRIPTS.toArray(String[]::new));
    assertThat(Files.size(run.plan().file(CompositionPlan.THUMBNAIL))).isPositive();
    assertThat(Files.size(run.plan().file(CompositionPlan.POSTER))).isPositive();
    assertThat(samples(run.plan())).hasSize(6);
    assertThat(Files.size(run.plan().file(InspectCommand.CONTACT_SHEET))).as("contact sheet, 3x2 tiles").isPositive();
    assertThat(moovBeforeMdat(run.plan().file(CompositionPlan.OUTPUT))).as("faststart").isTrue();
  }

  @Test
  void captionsAreBurnedInWhereTheirCueIsAndInjectionTextRendersLiterally() throws Exception {
    List<String> nasty = List.of("Say \"hi\": 100% {\\b1}off\\N C:\\path '; rm -rf / #",
        "مرحبا and שלום, %{pts} [x] ; y", "Plain words at the end.");
    Run captioned = compose(plan(Files.createDirectories(work.resolve("with")), 854, 480, "ad", true, nasty, "testsrc2"));
    Run plain = compose(plan(Files.createDirectories(work.resolve("without")), 854, 480, "ad", false, nasty, "testsrc2"));

    assertThat(captioned.report().problems()).isEmpty();
    assertThat(Files.readString(captioned.plan().file(CompositionPlan.SRT)).replace('\n', ' '))
        .contains(nasty.get(0)).contains(nasty.get(1));
    assertThat(Files.readString(captioned.plan().file(CompositionPlan.ASS)))
        .contains("\\{\\\u2060b1\\}off\\\u2060N C:\\\u2060path");
    // the first cue is on screen at 1.0 s: the bottom band differs from the caption-less render, the top does not
    byte[] with = frame(captioned.plan().file(CompositionPlan.OUTPUT), 1.0);
    byte[] without = frame(plain.plan().file(CompositionPlan.OUTPUT), 1.0);
    assertThat(difference(with, without, 854, 480, 0.80, 1.0)).as("caption band").isGreaterThan(8.0);
    assertThat(difference(with, without, 854, 480, 0.0, 0.5)).as("upper half").isLessThan(2.0);
  }

  @Test
  void aMusicVideoWithoutCaptionsCopiesTheClipsAndLastsExactlyThePlan() throws Exception {
    Run run = compose(plan(Files.createDirectories(work.resolve("cut")), 480, 480, "music_video", false, SCRIPTS,
        "testsrc2"));

    assertThat(new ComposeCommand(run.plan(), null, "veryfast", 21).copiesVideo()).isTrue();
    assertThat(run.report().problems()).isEmpty();
    assertThat(run.probe().at("/format/duration").asDouble()).isCloseTo(6.0, org.assertj.core.data.Offset.offset(0.1));
  }

  @Test
  void aProvidersStillsArePannedInTheOneEncode() throws Exception {
    Run run = compose(plan(Files.createDirectories(work.resolve("stills")), 854, 480, "music_video", false, SCRIPTS,
        "png"));

    assertThat(new ComposeCommand(run.plan(), null, "veryfast", 21).copiesVideo()).as("stills need the encode").isFalse();
    assertThat(run.report().problems()).as("moving, not frozen").isEmpty();
    JsonNode video = stream(run.probe(), "video");
    assertThat(video.get("width").asInt() + "x" + video.get("height").asInt()).isEqualTo("854x480");
    assertThat(run.probe().at("/format/duration").asDouble()).isCloseTo(6.0, org.assertj.core.data.Offset.offset(0.1));
    byte[] early = frame(run.plan().file(CompositionPlan.OUTPUT), 0.2);
    byte[] late = frame(run.plan().file(CompositionPlan.OUTPUT), 1.7);
    assertThat(difference(early, late, 854, 480, 0.0, 1.0)).as("the still pans within its scene").isGreaterThan(2.0);
  }

  @Test
  void theGateRefusesBlackPicturesAndAMissingVoice() throws Exception {
    CompositionPlan plan = plan(Files.createDirectories(work.resolve("bad")), 480, 480, "ad", false, SCRIPTS, "black");
    Path silent = plan.scenes().get(1).speech();
    run(List.of("ffmpeg", "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i",
        "anullsrc=r=22050:cl=mono", "-t", "2", silent.toString()));

    Run run = compose(plan);

    assertThat(run.report().problems())
        .anySatisfy(p -> assertThat(p).startsWith("black picture from 0.0 s"))
        .anySatisfy(p -> assertThat(p).isEqualTo("scene 2 is silent where its voice-over was planned"));
  }

  @Test
  void theGateRefusesAFrozenPicture() throws Exception {
    Run run = compose(plan(Files.createDirectories(work.resolve("frozen")), 480, 480, "music_video", false, SCRIPTS,
        "still"));

    assertThat(run.report().problems()).singleElement().asString().startsWith("frozen picture from 0.0 s");
  }

  // --- the passes, as the route runs them

  private Run compose(CompositionPlan plan) throws Exception {
    Composition.writeFiles(plan, "DejaVu Sans");
    String mixLog = run(prefixed(new AudioMixCommand(plan).arguments(2)));
    Loudness loudness = Loudness.parse(mixLog);
    assertThat(loudness).as(mixLog).isNotNull();
    run(prefixed(new ComposeCommand(plan, loudness, "veryfast", 21).arguments(2)));
    String inspection = run(prefixed(new InspectCommand(plan, 2).arguments(2)));
    String probe = runOut(List.of("ffprobe", "-v", "error", "-print_format", "json", "-show_streams", "-show_format",
        plan.file(CompositionPlan.OUTPUT).toString()));
    return new Run(plan, QualityGate.judge(plan, inspection, probe), JSON.readTree(probe));
  }

  /** Three 2 s scenes of moving {@code source} clips with spoken scripts and a quiet music bed. */
  private CompositionPlan plan(Path dir, int width, int height, String mode, boolean captions, List<String> scripts,
      String source) throws Exception {
    List<CompositionPlan.Scene> scenes = new ArrayList<>();
    for (int i = 0; i < scripts.size(); i++) {
      Path clip = dir.resolve("scene-" + i + (source.equals("png") ? ".png" : ".mp4"));
      String input = switch (source) {
        case "black" -> "color=c=black:s=%dx%d:r=25:d=2".formatted(width, height);
        case "still" -> "color=c=0x3a6ea5:s=%dx%d:r=25:d=2".formatted(width, height);
        case "png" -> "testsrc2=s=1024x1024:r=25:d=1";
        default -> "testsrc2=s=%dx%d:r=25:d=2".formatted(width, height);
      };
      if (source.equals("png")) {
        run(List.of("ffmpeg", "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i", input, "-frames:v", "1",
            clip.toString()));
      } else {
        run(List.of("ffmpeg", "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i", input, "-frames:v",
            "50", "-c:v", "libx264", "-profile:v", "high", "-preset", "veryfast", "-pix_fmt", "yuv420p", "-g", "50",
            clip.toString()));
      }
      Path speech = dir.resolve("speech-" + i + ".wav");
      Path text = dir.resolve("script-" + i + ".txt");
      Files.writeString(text, scripts.get(i), StandardCharsets.UTF_8);
      run(List.of("espeak-ng", "-v", "en-us", "-s", "175", "-f", text.toString(), "-w", speech.toString()));
      scenes.add(new CompositionPlan.Scene(i + 1, clip, speech, 2000, 0, scripts.get(i), "Scene " + (i + 1)));
    }
    Path music = dir.resolve("music.wav");
    run(List.of("ffmpeg", "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i",
        "sine=frequency=220:sample_rate=48000:duration=6", "-af", "volume=0.3", music.toString()));
    return new CompositionPlan(dir, width, height, scenes, music, Transition.of(mode).within(2000), captions);
  }

  private static List<String> prefixed(List<String> args) {
    List<String> all = new ArrayList<>(List.of("ffmpeg"));
    all.addAll(args);
    return all;
  }

  private static List<Path> samples(CompositionPlan plan) throws IOException {
    try (var files = Files.list(plan.workDir())) {
      return files.filter(f -> f.getFileName().toString().startsWith("sample-")).toList();
    }
  }

  private static JsonNode stream(JsonNode probe, String type) {
    for (JsonNode s : probe.get("streams")) {
      if (s.get("codec_type").asText().equals(type)) {
        return s;
      }
    }
    throw new AssertionError("no " + type + " stream");
  }

  private static boolean moovBeforeMdat(Path mp4) throws IOException {
    String head = new String(Files.readAllBytes(mp4), StandardCharsets.ISO_8859_1);
    return head.indexOf("moov") >= 0 && head.indexOf("moov") < head.indexOf("mdat");
  }

  /** One frame at {@code seconds} as raw grey bytes. */
  private static byte[] frame(Path video, double seconds) throws Exception {
    Path raw = video.resolveSibling("frame-" + seconds + ".gray");
    run(List.of("ffmpeg", "-hide_banner", "-loglevel", "error", "-y", "-ss", String.valueOf(seconds), "-i",
        video.toString(), "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "gray", raw.toString()));
    return Files.readAllBytes(raw);
  }

  /** Mean absolute difference of two grey frames between the rows at {@code from} and {@code to} of the height. */
  private static double difference(byte[] a, byte[] b, int width, int height, double from, double to) {
    long sum = 0;
    int rows = 0;
    for (int y = (int) (height * from); y < (int) (height * to); y++, rows++) {
      for (int x = 0; x < width; x++) {
        sum += Math.abs((a[y * width + x] & 0xff) - (b[y * width + x] & 0xff));
      }
    }
    return sum / (double) (rows * width);
  }

  private static String run(List<String> command) throws Exception {
    return exec(command, false);
  }

  private static String runOut(List<String> command) throws Exception {
    return exec(command, true);
  }

  private static String exec(List<String> command, boolean stdout) throws Exception {
    Process process = new ProcessBuilder(command).redirectErrorStream(!stdout)
        .redirectError(stdout ? ProcessBuilder.Redirect.DISCARD : ProcessBuilder.Redirect.PIPE).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(String.join(" ", command) + "\n" + out).isZero();
    return out;
  }
}
