package io.reelflow.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.isNull;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.reelflow.storage.MediaStore;
import io.reelflow.video.Assets;
import io.reelflow.video.Assets.Asset;
import io.reelflow.video.PermanentStageException;
import io.reelflow.video.SceneJob;
import io.reelflow.video.VideoOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/** The provider's choices around ffmpeg: palette, line files, reference plate and its fallbacks. */
class LocalVisualProviderTest {

  private static final UUID VIDEO = UUID.randomUUID();
  private static final String KEY = "videos/" + VIDEO + "/reference.jpg";

  @TempDir Path work;

  private final Assets assets = mock(Assets.class);
  private final MediaStore media = mock(MediaStore.class);
  private final RecordingRunner runner = new RecordingRunner();
  private final LocalVisualProvider provider = new LocalVisualProvider(
      new LocalMediaSettings("ffmpeg", "espeak-ng", "en-us", "/fonts/card.ttf", 2, Duration.ofMinutes(1), 0),
      runner, assets, media);

  @Test
  void rendersTheGradientInTheTonesPaletteWhenTheVideoHasNoReference() {
    when(assets.find(VIDEO, null, "reference")).thenReturn(Optional.empty());

    provider.start(scene("Ready for something better?", "calm"), work, "k");

    assertThat(runner.commands).hasSize(1);
    assertThat(runner.commands.get(0)).doesNotContain("-i");
    assertThat(String.join(" ", runner.commands.get(0))).contains("c0=" + CardPalette.forTone("calm", "ad").from());
  }

  @Test
  void writesEachLineToItsOwnFileMarkingRightToLeftLines() throws Exception {
    when(assets.find(VIDEO, null, "reference")).thenReturn(Optional.empty());

    provider.start(scene("שלום לכולם!", null), work, "k");

    assertThat(Files.readString(work.resolve("headline-3-0.txt"), StandardCharsets.UTF_8))
        .isEqualTo("\u200fשלום לכולם!\u200f");
  }

  @Test
  void fetchesTheReferenceIntoTheWorkDirectoryAndUsesItAsThePlate() {
    when(assets.find(VIDEO, null, "reference")).thenReturn(Optional.of(reference()));
    when(media.download(eq(KEY), any())).thenAnswer(call -> call.getArgument(1));

    provider.start(scene("Hello", "warm"), work, "k");

    assertThat(runner.commands.get(0)).containsSubsequence("-i", work.resolve("reference-3.jpg").toString());
  }

  @Test
  void aReferenceThatIsRecordedButGoneFallsBackToTheGradient() {
    when(assets.find(VIDEO, null, "reference")).thenReturn(Optional.of(reference()));
    when(media.download(eq(KEY), any())).thenThrow(NoSuchKeyException.builder().message("gone").build());

    provider.start(scene("Hello", "warm"), work, "k");

    assertThat(runner.commands).hasSize(1);
    assertThat(runner.commands.get(0)).doesNotContain("-i");
  }

  @Test
  void aReferenceFfmpegCannotDecodeFallsBackToTheGradient() {
    when(assets.find(VIDEO, null, "reference")).thenReturn(Optional.of(reference()));
    when(media.download(eq(KEY), any())).thenAnswer(call -> call.getArgument(1));
    runner.failFirst = true;

    provider.start(scene("Hello", "warm"), work, "k");

    assertThat(runner.commands).hasSize(2);
    assertThat(runner.commands.get(0)).contains("-i");
    assertThat(runner.commands.get(1)).doesNotContain("-i");
  }

  @Test
  void aFailedRenderWithoutReferenceFailsTheScene() {
    when(assets.find(eq(VIDEO), isNull(), eq("reference"))).thenReturn(Optional.empty());
    runner.failFirst = true;

    assertThatThrownBy(() -> provider.start(scene("Hello", "warm"), work, "k"))
        .isInstanceOf(PermanentStageException.class);
    assertThat(runner.commands).hasSize(1);
  }

  private static Asset reference() {
    return new Asset(VIDEO, null, "reference", KEY, "image/jpeg", 1234, null, null, null);
  }

  private static SceneJob scene(String headline, String tone) {
    VideoOptions options = new VideoOptions(30, "16:9", "480p", "ad", tone, null, null, true, true,
        "https://example.com/ref.jpg", "auto");
    return new SceneJob(UUID.randomUUID(), VIDEO, 3, 6, headline, "shot", "script", 5000, options, "u", "free",
        Instant.now(), "test@local/claim", java.util.Set.of());
  }

  /** Records the commands instead of running them; can fail the first one like a broken input would. */
  private static final class RecordingRunner extends ProcessRunner {
    final List<List<String>> commands = new ArrayList<>();
    boolean failFirst;

    @Override
    public void run(List<String> command, Path workDir, Duration timeout, String code) {
      commands.add(command);
      if (failFirst && commands.size() == 1) {
        throw new PermanentStageException(code, "ffmpeg exited with 1: Invalid data found when processing input");
      }
    }
  }
}
