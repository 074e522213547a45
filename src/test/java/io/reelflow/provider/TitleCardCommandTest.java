package io.reelflow.provider;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class TitleCardCommandTest {

  private static final String NASTY = "Say \"hi\": 100% off; C:\\path {x} [y], a'b\nnext line 😀 ☕ שלום";

  @Test
  void promptTextNeverAppearsInTheCommandOnlyItsFileDoes() {
    TitleCardCommand command = command(Path.of("/tmp/work/headline-0.txt"));

    List<String> args = command.arguments("ffmpeg", 2);

    assertThat(args).noneMatch(a -> a.contains("100%") || a.contains("Say") || a.contains("שלום"));
    assertThat(String.join(" ", args)).contains("textfile=/tmp/work/headline-0.txt").contains("expansion=none");
    assertThat(args.get(0)).isEqualTo("ffmpeg");
    assertThat(args).containsSubsequence("-frames:v", "250");
  }

  @Test
  void pathsWithFilterSyntaxAreEscapedTwice() {
    assertThat(FilterGraph.quote("/tmp/a:b")).isEqualTo("/tmp/a\\\\:b");
    assertThat(FilterGraph.quote("/tmp/x,y")).isEqualTo("/tmp/x\\,y");
    assertThat(FilterGraph.quote("/tmp/it's")).isEqualTo("/tmp/it\\\\\\'s");
    assertThat(FilterGraph.quote("/plain/path.txt")).isEqualTo("/plain/path.txt");
  }

  @Test
  void cardTextDropsControlCharactersAndEmojiTheFontCannotDrawButKeepsEveryOtherCharacter() {
    assertThat(CardText.clean(NASTY))
        .isEqualTo("Say \"hi\": 100% off; C:\\path {x} [y], a'b next line ☕ שלום");
  }

  @Test
  void cardTextWrapsAtWordBoundariesWithinTheLineLength() {
    List<String> lines = CardText.wrap("Wake up to the richest coffee you have ever tasted", 16, 4);

    assertThat(lines).containsExactly("Wake up to the", "richest coffee", "you have ever", "tasted");
    assertThat(CardText.wrap("one two three four five six seven", 5, 2)).hasSize(2).last().asString().endsWith("…");
  }

  @Test
  void fontSizeAndLineLengthFollowTheFrame() {
    TitleCardCommand portrait = new TitleCardCommand(720, 1280, 25, List.of("0x000000", "0xffffff"), 1,
        Path.of("f.ttf"), Path.of("t.txt"), Path.of("o.mp4"));
    TitleCardCommand landscape = new TitleCardCommand(1280, 720, 25, List.of("0x000000", "0xffffff"), 1,
        Path.of("f.ttf"), Path.of("t.txt"), Path.of("o.mp4"));

    assertThat(portrait.fontSize()).isEqualTo(60).isEqualTo(landscape.fontSize());
    assertThat(portrait.charsPerLine()).isLessThan(landscape.charsPerLine());
  }

  static TitleCardCommand command(Path textFile) {
    return new TitleCardCommand(1280, 720, 250, List.of("0x2b1409", "0xc0793a"), 7,
        Path.of("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"), textFile, textFile.resolveSibling("out.mp4"));
  }
}
