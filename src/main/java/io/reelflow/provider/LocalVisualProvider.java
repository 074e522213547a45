package io.reelflow.provider;

import io.reelflow.video.SceneJob;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.springframework.stereotype.Component;

/** Renders each scene locally with ffmpeg as a moving title card: no network, no API key. */
@Component
public class LocalVisualProvider implements VisualProvider {

  private static final List<List<String>> PALETTES =
      List.of(
          List.of("0x2b1409", "0xc0793a"),
          List.of("0x0f2a3d", "0x3aa6c0"),
          List.of("0x3d0f2a", "0xe0705a"),
          List.of("0x12331c", "0x8cc05a"),
          List.of("0x1e1440", "0x9a6ae0"),
          List.of("0x402a0c", "0xf0c050"));

  private final LocalMediaSettings settings;
  private final ProcessRunner runner;

  LocalVisualProvider(LocalMediaSettings settings, ProcessRunner runner) {
    this.settings = settings;
    this.runner = runner;
  }

  @Override
  public String name() {
    return "local-ffmpeg";
  }

  @Override
  public ProviderResult start(SceneJob scene, Path workDir, String idempotencyKey) {
    long started = System.nanoTime();
    int frames = Math.max(1, Math.round(scene.durationMs() * TitleCardCommand.FPS / 1000f));
    Path textFile = workDir.resolve("headline-" + scene.sequenceNumber() + ".txt");
    Path output = workDir.resolve("visual-" + scene.sequenceNumber() + ".mp4");
    TitleCardCommand command =
        new TitleCardCommand(
            scene.options().width(),
            scene.options().height(),
            frames,
            PALETTES.get(scene.sequenceNumber() % PALETTES.size()),
            scene.sceneId().getLeastSignificantBits() & 0xffff,
            Path.of(settings.fontFile()),
            textFile,
            output);
    writeText(textFile, String.join("\n", CardText.wrap(scene.headline(), command.charsPerLine(), 4)));
    runner.run(command.arguments(settings.ffmpeg(), settings.threads()), workDir, settings.timeout(), "render_failed");
    long latency = (System.nanoTime() - started) / 1_000_000;
    return new ProviderResult.Done(
        new RenderedMedia(output, "video", "video/mp4", frames * 1000 / TitleCardCommand.FPS, name(), latency));
  }

  private static void writeText(Path file, String text) {
    try {
      Files.writeString(file, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
