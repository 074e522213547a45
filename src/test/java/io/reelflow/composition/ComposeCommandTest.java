package io.reelflow.composition;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ComposeCommandTest {

  static final Loudness MEASURED = new Loudness(-27.5, -6.2, 3.1, -38.0, 0.4);

  @Test
  void crossFadesStartAtTheSceneBoundariesAndTheTotalIsThePlan() {
    CompositionPlan plan = plan(new Transition("fade", 400), true, 5000, 4960, 3000);

    List<String> args = new ComposeCommand(plan, MEASURED, "veryfast", 21).arguments(2);

    String graph = args.get(args.indexOf("-filter_complex") + 1);
    assertThat(graph)
        .contains("[0:v]scale=854:480:force_original_aspect_ratio=decrease,pad=854:480")
        .contains("trim=duration=5.400,setpts=PTS-STARTPTS[v0]")
        .contains("trim=duration=5.360,setpts=PTS-STARTPTS[v1]")
        .contains("trim=duration=3.000,setpts=PTS-STARTPTS[v2]")
        .contains("[v0][v1]xfade=transition=fade:duration=0.400:offset=5.000[x1]")
        .contains("[x1][v2]xfade=transition=fade:duration=0.400:offset=9.960[x2]")
        .contains("[x2]subtitles=filename=/w/captions.ass,null[vout]")
        .contains("[3:a]loudnorm=I=-14:TP=-1.5:LRA=11:measured_I=-27.50:measured_TP=-6.20")
        .contains("linear=true");
    assertThat(args).containsSubsequence("-c:v", "libx264", "-profile:v", "high")
        .containsSubsequence("-t", "12.960").containsSubsequence("-movflags", "+faststart");
    assertThat(args.get(args.size() - 1)).isEqualTo("/w/final.mp4");
  }

  @Test
  void cutsWithoutCaptionsCopyTheVideoStream() {
    ComposeCommand command = new ComposeCommand(plan(Transition.CUT, false, 5000, 5000), MEASURED, "veryfast", 21);

    List<String> args = command.arguments(2);

    assertThat(command.copiesVideo()).isTrue();
    assertThat(args).containsSubsequence("-f", "concat", "-safe", "0", "-i", "/w/scenes.ffconcat")
        .containsSubsequence("-c:v", "copy").doesNotContain("libx264");
    assertThat(args.get(args.indexOf("-filter_complex") + 1)).startsWith("[1:a]loudnorm=");
  }

  @Test
  void aSilentMixIsLeftAlone() {
    assertThat(new Loudness(Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY, 0, -70, 0).filter()).isEqualTo("anull");
    assertThat(Loudness.parse("noise {\n \"input_i\" : \"-inf\",\n \"input_tp\" : \"-inf\",\n \"input_lra\" : \"0.00\",\n"
        + " \"input_thresh\" : \"-70.00\",\n \"target_offset\" : \"inf\"\n}\n").silent()).isTrue();
  }

  @Test
  void transitionsFollowTheModeAndNeverTakeMoreThanAThirdOfAScene() {
    assertThat(Transition.of("story")).isEqualTo(new Transition("fadeblack", 600));
    assertThat(Transition.of("music_video").cut()).isTrue();
    assertThat(Transition.of("ad").within(900)).isEqualTo(new Transition("fade", 280));
    assertThat(Transition.of("ad").within(100).cut()).isTrue();
  }

  @Test
  void quotesClipPathsForTheConcatDemuxer() {
    assertThat(ComposeCommand.concatListFor(List.of(Path.of("/w/a.mp4"), Path.of("/w/it's.mp4"))))
        .isEqualTo("ffconcat version 1.0\nfile '/w/a.mp4'\nfile '/w/it'\\''s.mp4'\n");
  }

  static CompositionPlan plan(Transition transition, boolean captions, int... millis) {
    List<CompositionPlan.Scene> scenes = new java.util.ArrayList<>();
    for (int i = 0; i < millis.length; i++) {
      scenes.add(new CompositionPlan.Scene(i + 1, Path.of("/w/scene-" + i + ".mp4"), Path.of("/w/speech-" + i + ".wav"),
          millis[i], 0, "Line " + i, "Headline " + i));
    }
    return new CompositionPlan(Path.of("/w"), 854, 480, scenes, null, transition, captions);
  }
}
