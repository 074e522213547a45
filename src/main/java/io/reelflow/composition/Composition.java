package io.reelflow.composition;

import io.reelflow.generation.GenerationSettings;
import io.reelflow.safety.ModerationVerdict;
import io.reelflow.safety.OutputSample;
import io.reelflow.storage.MediaStore;
import io.reelflow.storage.WorkDirectories;
import io.reelflow.video.Assets;
import io.reelflow.video.JobEvents;
import io.reelflow.video.PermanentStageException;
import io.reelflow.video.Scenes;
import io.reelflow.video.Video;
import io.reelflow.video.VideoStatus;
import io.reelflow.video.Videos;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.camel.Header;
import org.springframework.stereotype.Component;

/**
 * The beans of {@code routes/composition.camel.yaml}: gather a video's scenes into its work
 * directory with its captions, build the three ffmpeg passes (audio mix, the one video encode,
 * inspection) that camel-exec runs, judge the result (quality gate, output moderation), record
 * the final assets and finish the video. The work directory is deleted in every outcome by the
 * route's {@code work-cleanup}.
 */
@Component("composition")
public class Composition {

  private final Videos videos;
  private final Scenes scenes;
  private final Assets assets;
  private final MediaStore store;
  private final GenerationSettings generation;
  private final CompositionSettings settings;
  private final JobEvents events;

  Composition(Videos videos, Scenes scenes, Assets assets, MediaStore store, GenerationSettings generation,
      CompositionSettings settings, JobEvents events) {
    this.videos = videos;
    this.scenes = scenes;
    this.assets = assets;
    this.store = store;
    this.generation = generation;
    this.settings = settings;
    this.events = events;
  }

  /** Whether the video is waiting for composition; false for a duplicate or late message. */
  public boolean isComposing(UUID videoId) {
    return videos.find(videoId).map(v -> v.status() == VideoStatus.COMPOSING).orElse(false);
  }

  /** Creates the video's empty work directory. */
  public Path workDirectory(UUID videoId) {
    return WorkDirectories.fresh(Path.of(generation.workDirectory(), videoId.toString(), "compose"));
  }

  /**
   * Downloads every scene's clip and voice-over (and the music bed) into {@code workDir} and
   * writes the captions (SRT and ASS) and, for stream copy, the concat list.
   */
  public CompositionPlan prepare(UUID videoId, Path workDir) throws IOException {
    Video video = videos.find(videoId).orElseThrow();
    List<CompositionPlan.Scene> planned = new ArrayList<>();
    List<Map<String, Object>> all = scenes.of(videoId);
    for (Map<String, Object> scene : all) {
      UUID sceneId = (UUID) scene.get("id");
      int n = (Integer) scene.get("sequence_number");
      Path clip = store.download(assets.keyOf(sceneId, "video"), workDir.resolve("scene-%03d.mp4".formatted(n)));
      Path speech = store.download(assets.keyOf(sceneId, "speech"), workDir.resolve("speech-%03d.wav".formatted(n)));
      int speechMs = assets.find(videoId, sceneId, "speech").map(Assets.Asset::durationMs).orElse(0);
      planned.add(new CompositionPlan.Scene(n, clip, speech, (Integer) scene.get("duration_ms"), speechMs,
          (String) scene.get("audio_script"), (String) scene.get("headline")));
    }
    if (planned.isEmpty()) {
      throw new PermanentStageException("no_scenes", "video " + videoId + " has no scenes to compose");
    }
    Path music = assets.find(videoId, (UUID) all.get(0).get("id"), "music")
        .map(a -> store.download(a.storageKey(), workDir.resolve("music.wav")))
        .orElse(null);
    int shortest = planned.stream().mapToInt(CompositionPlan.Scene::durationMs).min().orElse(0);
    CompositionPlan plan = new CompositionPlan(workDir, video.options().width(), video.options().height(), planned,
        music, Transition.of(video.options().mode()).within(shortest), video.options().captions());
    writeFiles(plan, settings.captionFont());
    return plan;
  }

  /** The captions (SRT, and ASS in {@code font}) and the concat list, in the plan's work directory. */
  static void writeFiles(CompositionPlan plan, String font) throws IOException {
    List<Captions.Cue> cues = Captions.cues(plan.spoken(), Captions.charsPerLine(plan.width(), plan.height()));
    Files.writeString(plan.file(CompositionPlan.SRT), Captions.srt(cues), StandardCharsets.UTF_8);
    Files.writeString(plan.file(CompositionPlan.ASS), Captions.ass(cues, plan.width(), plan.height(), font),
        StandardCharsets.UTF_8);
    Files.writeString(plan.file(ComposeCommand.CONCAT_LIST),
        ComposeCommand.concatListFor(plan.scenes().stream().map(CompositionPlan.Scene::clip).toList()),
        StandardCharsets.UTF_8);
  }

  /** The first pass: the audio mix and its loudness measurement. */
  public List<String> mixArguments(CompositionPlan plan) {
    return new AudioMixCommand(plan).arguments(settings.threads());
  }

  /** The mix's loudness; fails the stage when the mix pass failed. */
  public Loudness loudness(@Header("CamelExecExitValue") Integer exitValue, String stderr) {
    Loudness measured = Loudness.parse(stderr);
    if (exitValue == null || exitValue != 0 || measured == null) {
      throw failed("the audio mix", exitValue, stderr);
    }
    return measured;
  }

  /** The second pass: the video encoded once (or copied), with the normalised mix. */
  public List<String> composeArguments(CompositionPlan plan, Loudness loudness) {
    return new ComposeCommand(plan, loudness, settings.preset(), settings.crf()).arguments(settings.threads());
  }

  /** Fails the stage when ffmpeg exited non-zero or wrote nothing; returns the output file. */
  public Path checkResult(@Header("CamelExecExitValue") Integer exitValue, CompositionPlan plan, String stderr)
      throws IOException {
    Path output = plan.file(CompositionPlan.OUTPUT);
    if (exitValue == null || exitValue != 0 || !Files.exists(output) || Files.size(output) == 0) {
      throw failed("ffmpeg", exitValue, stderr);
    }
    return output;
  }

  /** The third pass: thumbnail, poster, sampled frames and the quality detectors. */
  public List<String> inspectArguments(CompositionPlan plan) {
    return new InspectCommand(plan, settings.samplesPerScene()).arguments(settings.threads());
  }

  /** ffprobe's JSON description of the composed video's streams and container. */
  public List<String> probeArguments(CompositionPlan plan) {
    return List.of("-v", "error", "-print_format", "json", "-show_streams", "-show_format",
        plan.file(CompositionPlan.OUTPUT).toString());
  }

  /**
   * The quality gate: records what was measured on the video's feed, and fails the video with
   * {@code quality_check_failed} and every problem found before its media can be seen.
   */
  public QualityGate.Report judge(UUID videoId, CompositionPlan plan, @Header("CamelExecExitValue") Integer probeExit,
      String inspection, String probe) throws IOException {
    if (!Files.exists(plan.file(CompositionPlan.THUMBNAIL)) || !Files.exists(plan.file(CompositionPlan.POSTER))) {
      throw failed("the inspection pass", null, inspection);
    }
    QualityGate.Report report = QualityGate.judge(plan, inspection, probeExit != null && probeExit == 0 ? probe : "");
    Map<String, Object> detail = new LinkedHashMap<>();
    detail.put("passed", report.passed());
    detail.put("duration_seconds", report.durationSeconds());
    detail.put("integrated_lufs", report.integratedLufs());
    detail.put("true_peak_db", report.truePeakDb());
    detail.put("transition", plan.transition().kind());
    detail.put("problems", report.problems());
    events.append(videoId, null, "video.quality", "composition", detail);
    if (!report.passed()) {
      throw new PermanentStageException("quality_check_failed", String.join("; ", report.problems()));
    }
    return report;
  }

  /** What the output check sees: the transcript and the sampled frames. */
  public OutputSample outputSample(CompositionPlan plan) throws IOException {
    List<Path> frames;
    try (var files = Files.list(plan.workDir())) {
      frames = files.filter(f -> f.getFileName().toString().startsWith("sample-")).sorted().toList();
    }
    return new OutputSample(plan.transcript(), frames, plan.file(InspectCommand.CONTACT_SHEET));
  }

  /** Fails the video with {@code output_blocked} when the output check blocked it. */
  public void enforceOutput(ModerationVerdict verdict) {
    if (verdict.blocked()) {
      throw new PermanentStageException("output_blocked",
          "the finished video was blocked (" + verdict.category() + "): " + verdict.reason());
    }
  }

  /** One file to store: its object key, content type and the file in the work directory. */
  public record Upload(String key, String contentType, java.io.File file) {}

  /** What the route uploads once the video passed: the video, its thumbnail and poster, its subtitles. */
  public List<Upload> uploads(UUID videoId, CompositionPlan plan) {
    return FILES.entrySet().stream()
        .map(f -> new Upload(keyOf(videoId, f.getKey()), f.getValue(), plan.file(f.getKey()).toFile()))
        .toList();
  }

  private static final Map<String, String> FILES = Map.of(CompositionPlan.OUTPUT, "video/mp4",
      CompositionPlan.THUMBNAIL, "image/jpeg", CompositionPlan.POSTER, "image/jpeg",
      CompositionPlan.SRT, "application/x-subrip");

  /** Object key of one of the video's final files. */
  public String keyOf(UUID videoId, String file) {
    return "videos/%s/%s".formatted(videoId, file);
  }

  /**
   * Records the final video, thumbnail, poster and subtitles as assets and marks the video
   * succeeded (which queues its notification).
   */
  public boolean finish(UUID videoId, CompositionPlan plan) throws IOException {
    String finalKey = keyOf(videoId, CompositionPlan.OUTPUT);
    String thumbnailKey = keyOf(videoId, CompositionPlan.THUMBNAIL);
    record(videoId, "final", finalKey, "video/mp4", plan.file(CompositionPlan.OUTPUT), plan.totalMs());
    record(videoId, "thumbnail", thumbnailKey, "image/jpeg", plan.file(CompositionPlan.THUMBNAIL), null);
    record(videoId, "poster", keyOf(videoId, CompositionPlan.POSTER), "image/jpeg", plan.file(CompositionPlan.POSTER),
        null);
    record(videoId, "subtitles", keyOf(videoId, CompositionPlan.SRT), "application/x-subrip",
        plan.file(CompositionPlan.SRT), plan.totalMs());
    return videos.succeed(videoId, finalKey, thumbnailKey);
  }

  /** The video's whole work directory (its scenes' and its composition's), deleted when composition ends. */
  public Path videoDirectory(UUID videoId) {
    return Path.of(generation.workDirectory(), videoId.toString());
  }

  private void record(UUID videoId, String type, String key, String contentType, Path file, Integer millis)
      throws IOException {
    assets.record(new Assets.Asset(videoId, null, type, key, contentType, Files.size(file), millis, "ffmpeg", null));
  }

  private static PermanentStageException failed(String what, Integer exitValue, String stderr) {
    String detail = stderr == null ? "" : stderr.strip();
    return new PermanentStageException("compose_failed",
        what + " exited with " + exitValue + ": " + detail.substring(Math.max(0, detail.length() - 600)));
  }
}
