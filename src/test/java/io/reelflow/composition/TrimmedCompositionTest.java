package io.reelflow.composition;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A trimmed scene in the composition's commands and captions: cut from its clip and its voice alike. */
class TrimmedCompositionTest {

  static final CompositionPlan.Scene FIRST = scene(0, 4000, 0, 4000, "One two three four.");
  static final CompositionPlan.Scene TRIMMED = scene(1, 4000, 1000, 2500,
      "Alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu.");
  static final CompositionPlan.Scene LAST = scene(2, 4000, 0, 4000, "Last words here.");

  @Test
  void theVideoIsShorterByTheTrimAndTheTrimmedClipIsCutBeforeItIsScaled() {
    CompositionPlan plan = plan(new Transition("fade", 400), true, FIRST, TRIMMED, LAST);

    List<String> args = new ComposeCommand(plan, ComposeCommandTest.MEASURED, "veryfast", 21).arguments(2);

    String graph = args.get(args.indexOf("-filter_complex") + 1);
    assertThat(plan.totalMs()).isEqualTo(9500);
    assertThat(graph).contains("[1:v]trim=start=1.000:end=2.500,setpts=PTS-STARTPTS,scale=480:480")
        .contains("trim=duration=1.900,setpts=PTS-STARTPTS[v1]")
        .contains("[0:v]scale=480:480").doesNotContain("[0:v]trim=start")
        .contains("[x1][v2]xfade=transition=fade:duration=0.400:offset=5.500[x2]");
    assertThat(args).containsSubsequence("-t", "9.500");
  }

  @Test
  void theVoiceOverIsCutToTheSameStretch() {
    List<String> args = new AudioMixCommand(plan(Transition.CUT, false, FIRST, TRIMMED, LAST)).arguments(1);

    String graph = args.get(args.indexOf("-filter_complex") + 1);
    assertThat(graph).contains("[1:a]aresample=48000").contains("apad,atrim=start=1.000:end=2.500,asetpts=PTS-STARTPTS[s1]")
        .contains("apad,atrim=end=4.000,asetpts=PTS-STARTPTS[s0]");
  }

  @Test
  void cutsWithATrimmedSceneAreEncodedNotCopied() {
    assertThat(new ComposeCommand(plan(Transition.CUT, false, FIRST, LAST), ComposeCommandTest.MEASURED, "veryfast", 21)
        .copiesVideo()).isTrue();
    assertThat(new ComposeCommand(plan(Transition.CUT, false, FIRST, TRIMMED), ComposeCommandTest.MEASURED, "veryfast",
        21).copiesVideo()).isFalse();
  }

  @Test
  void captionsOfATrimmedSceneKeepOnlyWhatIsHeardAndFollowTheDisplayOrder() {
    CompositionPlan plan = plan(Transition.CUT, false, LAST, TRIMMED, FIRST);

    List<Captions.Cue> cues = Captions.cues(plan.spoken(), 12);

    assertThat(cues).extracting(c -> String.join(" ", c.lines())).as("the first second's words are trimmed away")
        .containsExactly("Last words here.", "epsilon zeta eta theta", "iota kappa lambda mu.", "One two three four.");
    assertThat(cues.get(1).startMs()).isEqualTo(4000);
    assertThat(cues.get(2).endMs()).isLessThanOrEqualTo(5500 - 40);
    assertThat(cues.get(3).startMs()).isEqualTo(5500);
  }

  @Test
  void theSilenceCheckLooksOnlyAtTheVoiceThatIsKept() {
    Captions.Spoken cutEarly = new Captions.Spoken(0, 1500, 3000, "x", 1000, 4000);
    Captions.Spoken voiceGone = new Captions.Spoken(0, 1000, 900, "x", 3000, 4000);

    assertThat(cutEarly.voicedMs()).isEqualTo(1500);
    assertThat(voiceGone.voicedMs()).isZero();
    assertThat(new Captions.Spoken(0, 4000, 2500, "x").voicedMs()).isEqualTo(2500);
  }

  @Test
  void aNewVersionHasItsOwnKeysAndTheFirstKeepsItsOwn() {
    UUID id = UUID.randomUUID();

    assertThat(Composition.keyOf(id, plan(Transition.CUT, false, FIRST), "final.mp4"))
        .isEqualTo("videos/" + id + "/final.mp4");
    assertThat(Composition.keyOf(id, new CompositionPlan(3, Path.of("/w"), 480, 480, List.of(FIRST), null,
        Transition.CUT, false), "final.mp4")).isEqualTo("videos/" + id + "/v3/final.mp4");
  }

  private static CompositionPlan.Scene scene(int n, int full, int in, int out, String script) {
    return new CompositionPlan.Scene(n, Path.of("/w/scene-" + n + ".mp4"), Path.of("/w/speech-" + n + ".wav"), full, in,
        out, 3000, script, "Headline " + n);
  }

  private static CompositionPlan plan(Transition transition, boolean captions, CompositionPlan.Scene... scenes) {
    return new CompositionPlan(Path.of("/w"), 480, 480, List.of(scenes), null, transition, captions);
  }
}
