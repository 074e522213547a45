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
import io.reelflow.video.Versions;
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
import org.springframework.transaction.annotation.Transactional;

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
   * Downloads every scene's clip and voice-over (and the music bed) into {@code workDir}, in
   * display order with their trim points, and writes the captions (SRT and ASS) and, for stream
   * copy, the concat list. The plan makes the version after the video's current one.
   */
  public CompositionPlan prepare(UUID videoId, Path workDir) throws IOException {
    Video video = videos.find(videoId).orElseThrow();
    List<CompositionPlan.Scene> planned = new ArrayList<>();
    UUID firstPlanned = null;
    for (Map<String, Object> scene : scenes.of(videoId)) {
      UUID sceneId = (UUID) scene.get("id");
      int n = (Integer) scene.get("sequence_number");
      firstPlanned = n == 0 ? sceneId : firstPlanned;
      String visual = assets.visualOf(videoId, sceneId).orElseThrow(() -> new PermanentStageException("no_visual",
          "scene " + n + " of video " + videoId + " has no visual")).storageKey();
      Path clip = store.download(visual,
          workDir.resolve("scene-%03d.%s".formatted(n, visual.substring(visual.lastIndexOf('.') + 1))));
      Path speech = store.download(assets.keyOf(sceneId, "speech"), workDir.resolve("speech-%03d.wav".formatted(n)));
      int speechMs = assets.find(videoId, sceneId, "speech").map(Assets.Asset::durationMs).orElse(0);
      int full = (Integer) scene.get("duration_ms");
      Integer in = (Integer) scene.get("trim_in_ms");
      Integer out = (Integer) scene.get("trim_out_ms");
      planned.add(new CompositionPlan.Scene(n, clip, speech, full, in == null ? 0 : in, out == null ? full : out,
          speechMs, (String) scene.get("audio_script"), (String) scene.get("headline")));
    }
    if (planned.isEmpty()) {
      throw new PermanentStageException("no_scenes", "video " + videoId + " has no scenes to compose");
    }
    // the music bed belongs to the first planned scene, wherever it is shown
    Path music = firstPlanned == null ? null : assets.find(videoId, firstPlanned, "music")
        .map(a -> store.download(a.storageKey(), workDir.resolve("music.wav")))
        .orElse(null);
    int shortest = planned.stream().mapToInt(CompositionPlan.Scene::durationMs).min().orElse(0);
    CompositionPlan plan = new CompositionPlan(video.version() + 1, workDir, video.options().width(),
        video.options().height(), planned, music, Transition.of(video.options().mode()).within(shortest),
        video.options().captions());
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
  public QualityGate.Report judge(UUID videoId, CompositionPlan plan, Integer inspectExit, String inspection,
      Integer probeExit, String probe) {
    if (inspectExit == null || inspectExit != 0) {
      throw failed("the inspection pass", inspectExit, inspection);
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

  /** What the output check sees: the transcript and the contact sheet of the sampled frames. */
  public OutputSample outputSample(CompositionPlan plan) {
    return new OutputSample(plan.transcript(), plan.file(InspectCommand.CONTACT_SHEET));
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

  /**
   * What the route uploads once the video passed: the video, its thumbnail and poster, its
   * subtitles, under the keys of the plan's version (a new version never overwrites an earlier one).
   */
  public List<Upload> uploads(UUID videoId, CompositionPlan plan) {
    return FILES.entrySet().stream()
        .map(f -> new Upload(keyOf(videoId, plan, f.getKey()), f.getValue(), plan.file(f.getKey()).toFile()))
        .toList();
  }

  private static final Map<String, String> FILES = Map.of(CompositionPlan.OUTPUT, "video/mp4",
      CompositionPlan.THUMBNAIL, "image/jpeg", CompositionPlan.POSTER, "image/jpeg",
      CompositionPlan.SRT, "application/x-subrip");

  /** Object key of one of the final files of the plan's version. */
  static String keyOf(UUID videoId, CompositionPlan plan, String file) {
    return Versions.keyOf(videoId, plan.version(), file);
  }

  /**
   * Marks the video succeeded as the plan's version (which records the version and, for the
   * first, queues its notification) and points its final video, thumbnail, poster and subtitles
   * assets at that version's files, in one transaction: a composition that lost the race (the
   * video was canceled meanwhile, or a duplicate) changes nothing, and its uploads are orphans.
   */
  @Transactional
  public boolean finish(UUID videoId, CompositionPlan plan) throws IOException {
    long outputBytes = Files.size(plan.file(CompositionPlan.OUTPUT));
    long thumbnailBytes = Files.size(plan.file(CompositionPlan.THUMBNAIL));
    Versions.Files files = new Versions.Files(keyOf(videoId, plan, CompositionPlan.OUTPUT), outputBytes,
        keyOf(videoId, plan, CompositionPlan.THUMBNAIL), thumbnailBytes,
        keyOf(videoId, plan, CompositionPlan.POSTER), keyOf(videoId, plan, CompositionPlan.SRT), plan.totalMs());
    if (!videos.succeed(videoId, plan.version(), files)) {
      return false;
    }
    record(videoId, "final", files.finalKey(), "video/mp4", outputBytes, plan.totalMs());
    record(videoId, "thumbnail", files.thumbnailKey(), "image/jpeg", thumbnailBytes, null);
    record(videoId, "poster", files.posterKey(), "image/jpeg", Files.size(plan.file(CompositionPlan.POSTER)), null);
    record(videoId, "subtitles", files.subtitlesKey(), "application/x-subrip",
        Files.size(plan.file(CompositionPlan.SRT)), plan.totalMs());
    return true;
  }

  /** The video's whole work directory (its scenes' and its composition's), deleted when composition ends. */
  public Path videoDirectory(UUID videoId) {
    return Path.of(generation.workDirectory(), videoId.toString());
  }

  private void record(UUID videoId, String type, String key, String contentType, long bytes, Integer millis) {
    assets.record(new Assets.Asset(videoId, null, type, key, contentType, bytes, millis, "ffmpeg", null));
  }

  private static PermanentStageException failed(String what, Integer exitValue, String stderr) {
    String detail = stderr == null ? "" : stderr.strip();
    return new PermanentStageException("compose_failed",
        what + " exited with " + exitValue + ": " + detail.substring(Math.max(0, detail.length() - 600)));
  }
}
