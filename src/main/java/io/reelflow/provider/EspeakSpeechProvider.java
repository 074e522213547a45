package io.reelflow.provider;

import io.reelflow.video.SceneJob;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * Speaks a scene's script with espeak-ng, locally. The speaking rate is raised when the script
 * is long for the scene, so the voice ends inside it.
 */
@Component
public class EspeakSpeechProvider implements SpeechProvider {

  static final int BASE_WORDS_PER_MINUTE = 160;
  static final int MAX_WORDS_PER_MINUTE = 230;

  private final LocalMediaSettings settings;
  private final ProcessRunner runner;

  EspeakSpeechProvider(LocalMediaSettings settings, ProcessRunner runner) {
    this.settings = settings;
    this.runner = runner;
  }

  @Override
  public boolean local() {
    return true;
  }

  @Override
  public String name() {
    return "local-espeak";
  }

  @Override
  public ProviderResult start(SceneJob scene, Path workDir, String idempotencyKey) {
    long started = System.nanoTime();
    Path script = workDir.resolve("script-" + scene.sequenceNumber() + ".txt");
    Path output = workDir.resolve("speech-" + scene.sequenceNumber() + ".wav");
    String text = speakable(scene.audioScript());
    try {
      Files.writeString(script, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<String> command =
        List.of(settings.espeak(), "-v", settings.voice(), "-s",
            Integer.toString(wordsPerMinute(text, scene.durationMs())), "-f", script.toString(),
            "-w", output.toString());
    runner.run(command, workDir, settings.timeout(), "speech_failed");
    long latency = (System.nanoTime() - started) / 1_000_000;
    return new ProviderResult.Done(
        new RenderedMedia(output, "speech", "audio/wav", scene.durationMs(), name(), latency));
  }

  /** Rate that fits {@code text} into 90% of the scene, never slower than the base rate. */
  static int wordsPerMinute(String text, int durationMs) {
    long words = text.isBlank() ? 0 : text.trim().split("\\s+").length;
    int needed = (int) Math.ceil(words * 60_000.0 / (durationMs * 0.9));
    return Math.max(BASE_WORDS_PER_MINUTE, Math.min(MAX_WORDS_PER_MINUTE, needed));
  }

  /** Plain text for espeak-ng: no phoneme brackets ({@code [[ ]]}), no control characters. */
  static String speakable(String script) {
    return CardText.clean(script).replace("[[", "[ [").replace("]]", "] ]");
  }
}
