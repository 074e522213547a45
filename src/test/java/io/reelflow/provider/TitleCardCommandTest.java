package io.reelflow.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reelflow.provider.CardLayout.Headline;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class TitleCardCommandTest {

  private static final String NASTY = "Say \"hi\": 100% off; C:\\path {x} [y], a'b\nnext line 😀 ☕ שלום";
  private static final Path FONT = Path.of("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf");
  private static final CardPalette WARM = CardPalette.forTone("warm", "ad");

  @Test
  void promptTextNeverAppearsInTheCommandOnlyItsFilesDo() {
    TitleCardCommand card = card(new CardLayout(1280, 720), NASTY, WARM, 0, null);

    List<String> args = card.arguments("ffmpeg", 2);

    String joined = String.join(" ", args);
    assertThat(args).noneMatch(a -> a.contains("100%") || a.contains("Say") || a.contains("שלום"));
    assertThat(joined).doesNotContain(":text=").doesNotContain("drawtext=text");
    assertThat(count(joined, "textfile=/tmp/work/headline-0-\\d\\.txt:expansion=none"))
        .isEqualTo(card.headline().lines().size()).isGreaterThan(1);
    assertThat(args.get(0)).isEqualTo("ffmpeg");
    assertThat(args).containsSubsequence("-frames:v", "250");
  }

  @Test
  void pathsWithFilterSyntaxAreEscapedTwice() {
    assertThat(FilterGraph.quote("/tmp/a:b")).isEqualTo("/tmp/a\\\\:b");
    assertThat(FilterGraph.quote("/tmp/x,y")).isEqualTo("/tmp/x\\,y");
    assertThat(FilterGraph.quote("/tmp/it's")).isEqualTo("/tmp/it\\\\\\'s");
    assertThat(FilterGraph.quote("/plain/path.txt")).isEqualTo("/plain/path.txt");

    TitleCardCommand card = new TitleCardCommand(new CardLayout(320, 180), 25, WARM, 0, null, FONT,
        new Headline(List.of("Hi"), 16, CardLayout.Align.LEFT), List.of(Path.of("/tmp/we:ird, [dir]/l.txt")),
        Path.of("/tmp/out.mp4"));
    assertThat(card.graph()).contains("textfile=/tmp/we\\\\:ird\\, \\[dir\\]/l.txt:");
  }

  @Test
  void thePaletteOfTheToneColoursTheCard() {
    CardPalette calm = CardPalette.forTone("calm", "ad");
    String graph = card(new CardLayout(1280, 720), "Hello", calm, 0, null).graph();

    assertThat(graph).contains("c0=" + calm.from() + ":c1=" + calm.to())
        .contains("color=" + calm.accent() + ":t=fill")
        .contains("fontcolor=" + calm.text());
    assertThat(card(new CardLayout(1280, 720), "Hello", WARM, 0, null).graph()).doesNotContain(calm.from());
  }

  @Test
  void scenesOfOneVideoShareThePaletteButNotTheCameraMove() {
    String first = card(new CardLayout(1280, 720), "Hello", WARM, 0, null).graph();
    String second = card(new CardLayout(1280, 720), "Hello", WARM, 1, null).graph();

    assertThat(first).isNotEqualTo(second).contains("c0=" + WARM.from());
    assertThat(second).contains("c0=" + WARM.from());
    assertThat(cropOf(first)).isNotEqualTo(cropOf(second));
  }

  @Test
  void theCameraMovesAFrameSizedWindowAcrossAPlateRenderedOnce() {
    TitleCardCommand card = card(new CardLayout(1280, 720), "Hello", WARM, 2, null);

    assertThat(card.plateWidth()).isEqualTo(1434);
    assertThat(card.plateHeight()).isEqualTo(806);
    assertThat(card.graph())
        .contains("gradients=s=1434x806:r=25:d=0.0400:")
        .contains("loop=loop=249:size=1:start=0,setpts=N/25/TB,")
        .contains("crop=1280:720:x='(iw-ow)*(0.0000+(1.0000)*n/249)':y='(ih-oh)*(0.0000+(1.0000)*n/249)'")
        .doesNotContain("zoompan")
        .endsWith("format=yuv420p");
  }

  @Test
  void theReferenceImageIsAnInputAndReplacesTheGradient() {
    Path reference = Path.of("/tmp/work/reference-0.png");
    TitleCardCommand card = card(new CardLayout(720, 1280), "Hello", WARM, 0, reference);

    List<String> args = card.arguments("ffmpeg", 2);

    assertThat(args).containsSubsequence("-i", reference.toString(), "-filter_complex");
    assertThat(card.graph()).startsWith("[0:v]scale=806:1434:force_original_aspect_ratio=increase,crop=806:1434")
        .doesNotContain("gradients=");
    assertThat(card(new CardLayout(720, 1280), "Hello", WARM, 0, null).arguments("ffmpeg", 2))
        .doesNotContain("-i");
  }

  @Test
  void keepsTheClipContractOfEveryProvider() {
    List<String> args = card(new CardLayout(720, 720), "Hello", WARM, 0, null).arguments("ffmpeg", 2);

    assertThat(args).containsSubsequence("-c:v", "libx264", "-profile:v", "high", "-g", "50", "-an");
    assertThat(args).endsWith("/tmp/work/out.mp4");
  }

  @Test
  void eachLineIsPlacedOnItsOwnBaselineAndFadesInAfterTheOneAbove() {
    CardLayout layout = new CardLayout(720, 1280);
    TitleCardCommand card = card(layout, "Ready for something better? Meet Acme Coffee.", WARM, 0, null);
    List<Integer> baselines = layout.baselines(card.headline());

    String graph = card.graph();
    for (int i = 0; i < baselines.size(); i++) {
      assertThat(graph).contains(":x='(w-text_w)/2':y='" + baselines.get(i) + "-ascent+");
    }
    assertThat(graph).contains("alpha='clip((t-0.2000)/0.6,0,1)'").contains("alpha='clip((t-0.3500)/0.6,0,1)'");
  }

  @Test
  void anEmptyHeadlineRendersThePlateAlone() {
    String graph = card(new CardLayout(720, 720), "😀", WARM, 0, null).graph();

    assertThat(graph).doesNotContain("drawtext").doesNotContain("[scrim]");
  }

  @Test
  void refusesLineFilesThatDoNotMatchTheLines() {
    assertThatThrownBy(() -> new TitleCardCommand(new CardLayout(320, 180), 25, WARM, 0, null, FONT,
        new Headline(List.of("a", "b"), 16, CardLayout.Align.LEFT), List.of(Path.of("a.txt")), Path.of("o.mp4")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  static TitleCardCommand card(CardLayout layout, String text, CardPalette palette, int variant, Path reference) {
    Headline headline = layout.fit(text);
    List<Path> files = IntStream.range(0, headline.lines().size())
        .mapToObj(i -> Path.of("/tmp/work/headline-0-" + i + ".txt")).toList();
    return new TitleCardCommand(layout, 250, palette, variant, reference, FONT, headline, files,
        Path.of("/tmp/work/out.mp4"));
  }

  private static String cropOf(String graph) {
    Matcher crop = Pattern.compile("crop=\\d+:\\d+:x='[^']*':y='[^']*'").matcher(graph);
    assertThat(crop.find()).isTrue();
    return crop.group();
  }

  private static int count(String text, String regex) {
    Matcher matcher = Pattern.compile(regex).matcher(text);
    int count = 0;
    while (matcher.find()) {
      count++;
    }
    return count;
  }
}
