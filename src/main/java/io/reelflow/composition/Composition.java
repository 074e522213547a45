package io.reelflow.composition;

import io.reelflow.generation.GenerationSettings;
import io.reelflow.provider.LocalMediaSettings;
import io.reelflow.storage.MediaStore;
import io.reelflow.storage.WorkDirectories;
import io.reelflow.video.Assets;
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
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.camel.Header;
import org.springframework.stereotype.Component;

/**
 * The beans of {@code routes/composition.camel.yaml}: fetch the scene assets into a per-video work
 * directory, build the ffmpeg command that camel-exec runs, check its result, record the final
 * asset and finish the video, and delete the work directory in every outcome.
 */
@Component("composition")
public class Composition {

  /** File name of the composed video inside the work directory. */
  static final String OUTPUT = "final.mp4";
  static final String THUMBNAIL = "thumbnail.jpg";

  private final Videos videos;
  private final Scenes scenes;
  private final Assets assets;
  private final MediaStore store;
  private final LocalMediaSettings media;
  private final GenerationSettings generation;

  Composition(Videos videos, Scenes scenes, Assets assets, MediaStore store, LocalMediaSettings media,
      GenerationSettings generation) {
    this.videos = videos;
    this.scenes = scenes;
    this.assets = assets;
    this.store = store;
    this.media = media;
    this.generation = generation;
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
   * Downloads every scene's clip and voice-over and returns the ffmpeg arguments for camel-exec.
   */
  public List<String> prepare(UUID videoId, Path workDir) throws IOException {
    List<Path> clips = new ArrayList<>();
    List<Path> speech = new ArrayList<>();
    List<Integer> millis = new ArrayList<>();
    List<Map<String, Object>> all = scenes.of(videoId);
    for (Map<String, Object> scene : all) {
      UUID sceneId = (UUID) scene.get("id");
      int n = (Integer) scene.get("sequence_number");
      clips.add(store.download(assets.keyOf(sceneId, "video"), workDir.resolve("scene-%03d.mp4".formatted(n))));
      speech.add(store.download(assets.keyOf(sceneId, "speech"), workDir.resolve("speech-%03d.wav".formatted(n))));
      millis.add((Integer) scene.get("duration_ms"));
    }
    if (clips.isEmpty()) {
      throw new PermanentStageException("no_scenes", "video " + videoId + " has no scenes to compose");
    }
    Path list = workDir.resolve("scenes.ffconcat");
    Files.writeString(list, ComposeCommand.concatListFor(clips), StandardCharsets.UTF_8);
    Path music = assets.find(videoId, (UUID) all.get(0).get("id"), "music")
        .map(a -> store.download(a.storageKey(), workDir.resolve("music.wav")))
        .orElse(null);
    return new ComposeCommand(list, speech, millis, music, workDir.resolve(OUTPUT)).arguments(media.threads());
  }

  /** Fails the stage when ffmpeg exited non-zero or wrote nothing; returns the output file. */
  public Path checkResult(
      @Header("CamelExecExitValue") Integer exitValue, @Header("workDir") Path workDir, String stderr)
      throws IOException {
    Path output = workDir.resolve(OUTPUT);
    if (exitValue == null || exitValue != 0 || !Files.exists(output) || Files.size(output) == 0) {
      String detail = stderr == null ? "" : stderr.strip();
      throw new PermanentStageException("compose_failed",
          "ffmpeg exited with " + exitValue + ": " + detail.substring(Math.max(0, detail.length() - 600)));
    }
    return output;
  }

  /** Object key of the final video. */
  public String finalKey(UUID videoId) {
    return "videos/%s/final.mp4".formatted(videoId);
  }

  /**
   * ffmpeg arguments for the thumbnail: one JPEG frame from the middle of the first scene, where
   * its headline is fully shown (scene edges are mid-fade).
   */
  public List<String> thumbnailArguments(UUID videoId, Path workDir) {
    List<Map<String, Object>> all = scenes.of(videoId);
    double at = all.isEmpty() ? 0 : ((Integer) all.get(0).get("duration_ms")) / 2000.0;
    return List.of("-hide_banner", "-nostdin", "-y", "-ss", String.format(java.util.Locale.ROOT, "%.2f", at),
        "-i", workDir.resolve(OUTPUT).toString(), "-frames:v", "1", "-q:v", "3",
        workDir.resolve(THUMBNAIL).toString());
  }

  /** Fails the stage when the thumbnail was not written; returns it. */
  public Path checkThumbnail(
      @Header("CamelExecExitValue") Integer exitValue, @Header("workDir") Path workDir, String stderr)
      throws IOException {
    Path thumbnail = workDir.resolve(THUMBNAIL);
    if (exitValue == null || exitValue != 0 || !Files.exists(thumbnail) || Files.size(thumbnail) == 0) {
      throw new PermanentStageException("thumbnail_failed", "ffmpeg exited with " + exitValue + ": "
          + (stderr == null ? "" : stderr.strip().lines().reduce((a, b) -> b).orElse("")));
    }
    return thumbnail;
  }

  /** Records the final and thumbnail assets and marks the video succeeded (which queues its notification). */
  public boolean finish(UUID videoId, Path output, String key, Path thumbnail, String thumbnailKey) throws IOException {
    Video video = videos.find(videoId).orElseThrow();
    int millis = video.options().durationSeconds() * 1000;
    assets.record(new Assets.Asset(videoId, null, "final", key, "video/mp4", Files.size(output), millis,
        "ffmpeg", null));
    assets.record(new Assets.Asset(videoId, null, "thumbnail", thumbnailKey, "image/jpeg", Files.size(thumbnail),
        null, "ffmpeg", null));
    return videos.succeed(videoId, key, thumbnailKey);
  }

  /** The video's whole work directory (its scenes' and its composition's), deleted when composition ends. */
  public Path videoDirectory(UUID videoId) {
    return Path.of(generation.workDirectory(), videoId.toString());
  }

}
