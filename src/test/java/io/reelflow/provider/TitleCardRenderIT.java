package io.reelflow.provider;

import static org.assertj.core.api.Assertions.assertThat;

import io.reelflow.provider.CardLayout.Headline;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real ffmpeg: the motion card renders at every aspect ratio with text that would break a filter
 * graph, keeps the clip contract composition relies on, and really uses its palette and the
 * reference image. Small frames and short clips keep it quick.
 */
class TitleCardRenderIT {

  private static final Path FONT = Path.of("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf");
  private static final String NASTY =
      "Say \"hi\": 100% off; C:\\path {x} [y], a'b\nnext line %{pts} ${HOME} 😀 ☕ שלום עולם! مرحبا بالعالم";
  private static final int FRAMES = 20;

  @TempDir Path work;

  @Test
  void rendersAHeadlineFullOfFilterSyntaxAndRightToLeftTextAtEveryAspectRatio() throws Exception {
    Path dir = Files.createDirectories(work.resolve("we:ird, [dir]; it's"));
    for (int[] size : new int[][] {{180, 320}, {320, 180}, {240, 240}}) {
      Path out = render(dir, size[0], size[1], CardPalette.forTone("playful", "ad"), null);

      assertThat(VideoProbe.contract(out))
          .as("%dx%d", size[0], size[1])
          .isEqualTo("h264,High," + size[0] + "," + size[1] + ",yuv420p,25/1," + FRAMES);
    }
  }

  @Test
  void usesTheReferenceImageAsTheBackgroundPlate() throws Exception {
    Path red = work.resolve("reference.png");
    VideoProbe.ffmpeg(work, "-f", "lavfi", "-i", "color=c=red:s=64x48", "-frames:v", "1", red.toString());
    CardPalette calm = CardPalette.forTone("calm", "ad");

    int[] onReference = VideoProbe.meanColour(render(work, 180, 320, calm, red), FRAMES / 2);
    int[] onGradient = VideoProbe.meanColour(render(work, 180, 320, calm, null), FRAMES / 2);

    assertThat(onReference[0]).as("red over a red plate").isGreaterThan(onReference[1] + 40)
        .isGreaterThan(onReference[2] + 40);
    assertThat(onGradient[0]).as("red over the calm gradient").isLessThan(onGradient[2]);
  }

  @Test
  void twoTonesGiveVisiblyDifferentColours() throws Exception {
    int[] warm = VideoProbe.meanColour(render(work, 240, 240, CardPalette.forTone("warm", "ad"), null), FRAMES / 2);
    int[] calm = VideoProbe.meanColour(render(work, 240, 240, CardPalette.forTone("calm", "ad"), null), FRAMES / 2);

    assertThat(warm[0] - warm[2]).as("warm is red over blue").isGreaterThan(15);
    assertThat(calm[2] - calm[0]).as("calm is blue over red").isGreaterThan(15);
  }

  private Path render(Path dir, int width, int height, CardPalette palette, Path reference) throws Exception {
    String name = palette.name() + "-" + width + "x" + height + (reference == null ? "" : "-ref");
    CardLayout layout = new CardLayout(width, height);
    Headline headline = layout.fit(NASTY);
    List<Path> lines = new ArrayList<>();
    for (int i = 0; i < headline.lines().size(); i++) {
      Path line = dir.resolve(name + "-" + i + ".txt");
      Files.writeString(line, CardText.forDrawtext(headline.lines().get(i)), StandardCharsets.UTF_8);
      lines.add(line);
    }
    Path out = dir.resolve(name + ".mp4");
    TitleCardCommand card = new TitleCardCommand(layout, FRAMES, palette, 1, reference, FONT, headline, lines, out);
    new ProcessRunner().run(card.arguments("ffmpeg", 1), dir, Duration.ofSeconds(60), "render_failed");
    return out;
  }
}
