package io.reelflow.provider;

import io.reelflow.provider.CardLayout.Headline;
import io.reelflow.storage.MediaStore;
import io.reelflow.video.Assets;
import io.reelflow.video.Assets.Asset;
import io.reelflow.video.PermanentStageException;
import io.reelflow.video.SceneJob;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * Renders each scene locally with ffmpeg as an animatic motion card ({@link TitleCardCommand}):
 * no network, no API key. The palette follows the video's tone, so all scenes of a video share a
 * look while the camera move and the light change from scene to scene; the video's reference
 * image, when it has one, is the background plate.
 *
 * <p>A reference image that cannot be used (its object is gone, or ffmpeg cannot decode it, say
 * an animated WebP) costs the scene its plate, not the video: the card is rendered on the
 * gradient and a warning logged. Other storage failures propagate and the scene is retried.
 */
@Component
public class LocalVisualProvider implements VisualProvider {

  private static final Logger log = LoggerFactory.getLogger(LocalVisualProvider.class);

  /** Asset type under which planning records a video's reference image. */
  static final String REFERENCE = "reference";

  private final LocalMediaSettings settings;
  private final ProcessRunner runner;
  private final Assets assets;
  private final MediaStore media;

  LocalVisualProvider(LocalMediaSettings settings, ProcessRunner runner, Assets assets, MediaStore media) {
    this.settings = settings;
    this.runner = runner;
    this.assets = assets;
    this.media = media;
  }

  @Override
  public boolean local() {
    return true;
  }

  @Override
  public String name() {
    return "local-ffmpeg";
  }

  @Override
  public ProviderResult start(SceneJob scene, Path workDir, String idempotencyKey) {
    long started = System.nanoTime();
    int frames = TitleCardCommand.frames(scene.durationMs());
    CardLayout layout = new CardLayout(scene.options().width(), scene.options().height());
    Headline headline = layout.fit(scene.headline());
    List<Path> lineFiles = writeLines(headline, workDir, scene.sequenceNumber());
    Path output = workDir.resolve("visual-" + scene.sequenceNumber() + ".mp4");
    Path reference = reference(scene, workDir).orElse(null);
    CardPalette palette = CardPalette.forTone(scene.options().tone(), scene.options().mode());
    TitleCardCommand card = new TitleCardCommand(layout, frames, palette, scene.sequenceNumber(), reference,
        Path.of(settings.fontFile()), headline, lineFiles, output);
    try {
      render(card, workDir);
    } catch (PermanentStageException e) {
      if (reference == null) {
        throw e;
      }
      log.warn("scene {} of video {}: reference image unusable, rendering on the gradient: {}",
          scene.sequenceNumber(), scene.videoId(), e.getMessage());
      render(new TitleCardCommand(layout, frames, palette, scene.sequenceNumber(), null,
          card.fontFile(), headline, lineFiles, output), workDir);
    }
    long latency = (System.nanoTime() - started) / 1_000_000;
    return new ProviderResult.Done(
        new RenderedMedia(output, "video", "video/mp4", frames * 1000 / TitleCardCommand.FPS, name(), latency));
  }

  private void render(TitleCardCommand card, Path workDir) {
    runner.run(card.arguments(settings.ffmpeg(), settings.threads()), workDir, settings.timeout(), "render_failed");
  }

  /** The video's reference image, downloaded into the work directory; empty when it has none. */
  private Optional<Path> reference(SceneJob scene, Path workDir) {
    Optional<Asset> asset = assets.find(scene.videoId(), null, REFERENCE);
    if (asset.isEmpty()) {
      return Optional.empty();
    }
    String key = asset.get().storageKey();
    Path target = workDir.resolve("reference-" + scene.sequenceNumber() + extension(key));
    try {
      return Optional.of(media.download(key, target));
    } catch (NoSuchKeyException e) {
      log.warn("video {}: reference image {} is recorded but not stored; rendering on the gradient",
          scene.videoId(), key);
      return Optional.empty();
    }
  }

  private static String extension(String key) {
    int dot = key.lastIndexOf('.');
    return dot > key.lastIndexOf('/') ? key.substring(dot) : "";
  }

  /** One file per line, so drawtext can place each line on its own (centred or right-aligned). */
  private static List<Path> writeLines(Headline headline, Path workDir, int sequenceNumber) {
    List<Path> files = new ArrayList<>();
    for (int i = 0; i < headline.lines().size(); i++) {
      Path file = workDir.resolve("headline-" + sequenceNumber + "-" + i + ".txt");
      try {
        Files.writeString(file, CardText.forDrawtext(headline.lines().get(i)), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      files.add(file);
    }
    return files;
  }
}
