package io.reelflow.provider;

import io.reelflow.video.SceneJob;
import java.nio.file.Path;
import org.springframework.stereotype.Component;

/** Synthesises the video's music bed locally with ffmpeg; its mood follows the video's tone. */
@Component
public class LocalMusicProvider implements MusicProvider {

  private final LocalMediaSettings settings;
  private final ProcessRunner runner;

  LocalMusicProvider(LocalMediaSettings settings, ProcessRunner runner) {
    this.settings = settings;
    this.runner = runner;
  }

  @Override
  public boolean local() {
    return true;
  }

  @Override
  public String name() {
    return "local-music";
  }

  /** Makes a bed as long as the whole video (the scene only says which video). */
  @Override
  public ProviderResult start(SceneJob scene, Path workDir, String idempotencyKey) {
    long started = System.nanoTime();
    int durationMs = scene.options().durationSeconds() * 1000;
    MusicBedCommand command =
        new MusicBedCommand(MusicBedCommand.Mood.of(scene.options().tone(), scene.options().mode()),
            durationMs, workDir.resolve("music.wav"));
    runner.run(command.arguments(settings.ffmpeg()), workDir, settings.timeout(), "music_failed");
    long latency = (System.nanoTime() - started) / 1_000_000;
    return new ProviderResult.Done(
        new RenderedMedia(command.output(), "music", "audio/wav", durationMs, name(), latency));
  }
}
