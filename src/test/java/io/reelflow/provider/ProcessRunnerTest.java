package io.reelflow.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reelflow.video.PermanentStageException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real processes: the media tools run at the configured niceness, and a missing tool is still named so. */
class ProcessRunnerTest {

  @TempDir Path dir;

  private static ProcessRunner runner(int nice) {
    return new ProcessRunner(new LocalMediaSettings("ffmpeg", "espeak-ng", "en-us", "font.ttf", 1,
        Duration.ofSeconds(10), nice));
  }

  @Test
  void toolsRunAtTheConfiguredNiceness() throws Exception {
    runner(10).run(List.of("sh", "-c", "nice > niceness.txt"), dir, Duration.ofSeconds(10), "render_failed");
    assertThat(Files.readString(dir.resolve("niceness.txt")).strip()).isEqualTo("10");

    runner(0).run(List.of("sh", "-c", "nice > niceness.txt"), dir, Duration.ofSeconds(10), "render_failed");
    assertThat(Files.readString(dir.resolve("niceness.txt")).strip()).isEqualTo("0");
  }

  @Test
  void aMissingToolIsToolMissingAlsoUnderNice() {
    for (int nice : new int[] {0, 10}) {
      assertThatThrownBy(() -> runner(nice).run(List.of("no-such-tool-reelflow"), dir, Duration.ofSeconds(10),
          "render_failed"))
          .isInstanceOfSatisfying(PermanentStageException.class, e -> assertThat(e.code()).isEqualTo("tool_missing"));
    }
  }

  @Test
  void aToolThatFailsIsTheCallersCode() {
    assertThatThrownBy(() -> runner(10).run(List.of("sh", "-c", "echo broken >&2; exit 3"), dir,
        Duration.ofSeconds(10), "render_failed"))
        .isInstanceOfSatisfying(PermanentStageException.class, e -> {
          assertThat(e.code()).isEqualTo("render_failed");
          assertThat(e.getMessage()).contains("exited with 3").contains("broken");
        });
  }
}
