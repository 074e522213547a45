package io.reelflow.composition;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ComposeCommandTest {

  @Test
  void copiesTheVideoStreamAndFitsEachVoiceOverToItsScene() {
    ComposeCommand command = new ComposeCommand(Path.of("/w/scenes.ffconcat"),
        List.of(Path.of("/w/s0.wav"), Path.of("/w/s1.wav")), List.of(5000, 4960), Path.of("/w/final.mp4"));

    List<String> args = command.arguments(2);

    assertThat(args).containsSubsequence("-c:v", "copy").containsSubsequence("-c:a", "aac")
        .containsSubsequence("-t", "9.960").containsSubsequence("-movflags", "+faststart");
    String graph = args.get(args.indexOf("-filter_complex") + 1);
    assertThat(graph).contains("[1:a]").contains("atrim=end=5.000").contains("[2:a]").contains("atrim=end=4.960")
        .endsWith("concat=n=2:v=0:a=1[voice]");
    assertThat(args.get(args.size() - 1)).isEqualTo("/w/final.mp4");
  }

  @Test
  void quotesClipPathsForTheConcatDemuxer() {
    assertThat(ComposeCommand.concatListFor(List.of(Path.of("/w/a.mp4"), Path.of("/w/it's.mp4"))))
        .isEqualTo("ffconcat version 1.0\nfile '/w/a.mp4'\nfile '/w/it'\\''s.mp4'\n");
  }
}
