package io.reelflow.provider;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real ffmpeg: text that would break a filter graph renders as text. */
class TitleCardRenderIT {

  @TempDir Path work;

  @Test
  void rendersPromptTextFullOfFilterSyntaxIntoAPlayableClip() throws Exception {
    Path dir = Files.createDirectories(work.resolve("we:ird, [dir]; it's"));
    Path text = dir.resolve("headline.txt");
    String nasty = "Say \"hi\": 100% off; C:\\path {x} [y], a'b\nnext line %{pts} 😀 ☕";
    Files.writeString(text, String.join("\n", CardText.wrap(nasty, 20, 4)), StandardCharsets.UTF_8);
    TitleCardCommand command = new TitleCardCommand(320, 240, 25, List.of("0x2b1409", "0xc0793a"), 3,
        Path.of("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"), text, dir.resolve("out.mp4"));

    new ProcessRunner().run(command.arguments("ffmpeg", 1), dir, Duration.ofSeconds(60), "render_failed");

    assertThat(VideoProbe.summary(dir.resolve("out.mp4"))).isEqualTo("h264,320,240,25");
  }
}
