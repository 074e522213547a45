package io.reelflow.provider;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The synthesised music bed is real, audible audio of the asked length, in every mood. */
class MusicBedRenderIT {

  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(MusicBedCommand.Mood.class)
  void rendersAnAudibleBedOfTheVideosLength(MusicBedCommand.Mood mood) throws Exception {
    MusicBedCommand command = new MusicBedCommand(mood, 6000, dir.resolve("music.wav"));

    new ProcessRunner().run(command.arguments("ffmpeg"), dir, Duration.ofSeconds(60), "music_failed");

    String stats = run("ffmpeg", "-hide_banner", "-nostdin", "-i", command.output().toString(), "-af", "volumedetect",
        "-f", "null", "-");
    double mean = number(stats, "mean_volume: (-?[0-9.]+) dB");
    double peak = number(stats, "max_volume: (-?[0-9.]+) dB");
    assertThat(mean).as("audible").isGreaterThan(-30);
    assertThat(peak).as("not clipped").isLessThan(0.0);
    double seconds = Double.parseDouble(run("ffprobe", "-v", "error", "-show_entries", "format=duration", "-of",
        "csv=p=0", command.output().toString()).strip());
    assertThat(seconds).isBetween(5.95, 6.05);
  }

  @org.junit.jupiter.api.Test
  void theToneChoosesTheMood() {
    assertThat(MusicBedCommand.Mood.of("warm and cozy", "ad")).isEqualTo(MusicBedCommand.Mood.CALM);
    assertThat(MusicBedCommand.Mood.of("Epic, cinematic", "ad")).isEqualTo(MusicBedCommand.Mood.DRAMATIC);
    assertThat(MusicBedCommand.Mood.of("upbeat", "story")).isEqualTo(MusicBedCommand.Mood.ENERGETIC);
    assertThat(MusicBedCommand.Mood.of(null, "explainer")).isEqualTo(MusicBedCommand.Mood.CALM);
    assertThat(MusicBedCommand.Mood.of(null, "ad")).isEqualTo(MusicBedCommand.Mood.ENERGETIC);
  }

  private static double number(String text, String pattern) {
    Matcher m = Pattern.compile(pattern).matcher(text);
    assertThat(m.find()).as(pattern).isTrue();
    return Double.parseDouble(m.group(1));
  }

  private static String run(String... command) throws Exception {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    process.waitFor();
    return out;
  }
}
