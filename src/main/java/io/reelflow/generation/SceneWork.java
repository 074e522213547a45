package io.reelflow.generation;

import io.reelflow.provider.RenderedMedia;
import io.reelflow.storage.WorkDirectories;
import io.reelflow.video.Assets;
import io.reelflow.video.SceneJob;
import io.reelflow.video.SceneMessage;
import io.reelflow.video.Scenes;
import io.reelflow.video.Sha256;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * The beans of {@code routes/generation.camel.yaml}: claim a scene, give it a work directory,
 * name and record its assets, mark it done, and clean up.
 */
@Component("sceneWork")
public class SceneWork {

  private final Scenes scenes;
  private final Assets assets;
  private final GenerationSettings settings;
  private final SceneLease lease;
  private final VisualsFirst visualsFirst;

  /** This instance's name in leases: {@code pid@host}; a claim adds {@code /<uuid>}. */
  static final String WORKER_ID = ManagementFactory.getRuntimeMXBean().getName();

  SceneWork(Scenes scenes, Assets assets, GenerationSettings settings, SceneLease lease, VisualsFirst visualsFirst) {
    this.lease = lease;
    this.visualsFirst = visualsFirst;
    this.scenes = scenes;
    this.assets = assets;
    this.settings = settings;
  }

  /**
   * Claims the scene for this worker; its lease is renewed in the background until the exchange
   * ends (route configuration {@code scene-lease}). A scene that still needs its visual counts as
   * on its way to its provider ({@link VisualsFirst}) until that starts.
   *
   * @return the job, or null when another worker has it or it is finished (duplicate message)
   */
  public SceneJob claim(SceneMessage message) {
    SceneJob job = scenes.claim(message.sceneId(), WORKER_ID + "/" + UUID.randomUUID(), settings.leaseSeconds())
        .orElse(null);
    if (job != null) {
      lease.hold(job);
      if (needsVisual(job)) {
        visualsFirst.claimed(job);
      }
    }
    return job;
  }

  /**
   * Creates the claim's empty work directory, {@code <video>/<scene>/<claim>}: a worker that takes
   * over a scene whose lease ran out never deletes or overwrites the files of the worker it
   * replaced, which may still be running.
   */
  public Path workDirectory(SceneJob job) {
    String claim = job.leaseOwner().substring(job.leaseOwner().lastIndexOf('/') + 1);
    return WorkDirectories.fresh(
        Path.of(settings.workDirectory(), job.videoId().toString(), job.sceneId().toString(), claim));
  }

  /** Object key of a scene asset: {@code videos/<video>/scenes/<nn>/<type>.<ext>}. */
  public String storageKey(SceneJob job, RenderedMedia media) {
    String name = media.file().getFileName().toString();
    String extension = name.substring(name.lastIndexOf('.') + 1);
    return "videos/%s/scenes/%02d/%s.%s".formatted(job.videoId(), job.sequenceNumber(), media.assetType(), extension);
  }

  /** Records an uploaded scene asset with its size and provider latency. */
  public void recordAsset(SceneJob job, RenderedMedia media, String key) throws IOException {
    assets.record(
        new Assets.Asset(job.videoId(), job.sceneId(), media.assetType(), key, media.contentType(),
            Files.size(media.file()), media.durationMs(), media.provider(), (int) media.latencyMs(),
            Sha256.of(media.file())));
  }

  /** Marks the scene succeeded, named for the provider of its visual; its scene-done message leaves through the outbox. */
  public boolean complete(SceneJob job) {
    String provider = assets.visualOf(job.videoId(), job.sceneId()).map(Assets.Asset::provider).orElse(null);
    return scenes.succeed(job.sceneId(), job.leaseOwner(), provider);
  }

  /**
   * Whether the scene still needs its visual: a clip ({@code video}) or a still ({@code image}).
   * This and the other needs are read from the claim, which lists the scene's stored assets: no
   * query of their own on the scene's way to its providers.
   */
  public boolean needsVisual(SceneJob job) {
    return Assets.VISUAL_TYPES.stream().noneMatch(job.storedAssets()::contains);
  }

  /** Whether this scene makes the video's music bed (the first scene, when music is on) and has not yet. */
  public boolean needsMusic(SceneJob job) {
    return job.sequenceNumber() == 0 && job.options().music() && needs(job, "music");
  }

  /** Whether the scene still needs this asset type (a redelivered scene keeps what it stored). */
  public boolean needs(SceneJob job, String assetType) {
    return !job.storedAssets().contains(assetType);
  }
}
