package io.reelflow.planning;

import static org.assertj.core.api.Assertions.assertThat;

import io.reelflow.video.PlannedScene;
import io.reelflow.video.VideoOptions;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class LocalScenePlannerTest {

  private final LocalScenePlanner planner = new LocalScenePlanner();

  @ParameterizedTest
  @ValueSource(ints = {5, 7, 10, 13, 15, 30, 61, 120})
  void scenesAddUpExactlyToTheRequestedDurationInWholeFrames(int seconds) {
    List<PlannedScene> plan = planner.plan("Create an ad for a bike shop", options(seconds));

    assertThat(plan.stream().mapToInt(PlannedScene::durationMs).sum()).isEqualTo(seconds * 1000);
    assertThat(plan).allSatisfy(s -> assertThat(s.durationMs() % 40).isZero());
    assertThat(plan).hasSize(Math.max(1, Math.round(seconds / 5f)));
  }

  @Test
  void aThirtySecondAdHasSixScenesFromHookToCallToAction() {
    List<PlannedScene> plan = planner.plan("Create a 30-sec ad for a coffee brand", options(30));

    assertThat(plan).hasSize(6);
    assertThat(plan.get(0).headline()).isEqualTo("Ready for something better?");
    assertThat(plan.get(2).headline()).isEqualTo("Introducing Coffee Brand");
    assertThat(plan.get(5).headline()).isEqualTo("Try Coffee Brand today");
    assertThat(plan).allSatisfy(s -> assertThat(s.visualPrompt()).contains("coffee brand"));
  }

  @Test
  void everyVoiceOverFitsItsSceneAtTwoAndAHalfWordsASecond() {
    List<PlannedScene> plan = planner.plan("Make a video about a very long named artisanal sourdough bakery in town", options(10));

    assertThat(plan).allSatisfy(s -> {
      int words = s.audioScript().split("\\s+").length;
      assertThat(words).isLessThanOrEqualTo((int) (s.durationMs() / 1000.0 * 2.5));
      assertThat(s.audioScript()).isNotBlank();
    });
  }

  @Test
  void aVoiceOverTooLongForItsSceneIsShortenedToWholeSentencesNotCutMidSentence() {
    List<PlannedScene> plan = planner.plan("Create a 30-sec ad for a coffee brand", options(30));

    assertThat(plan.get(3).audioScript()).as("the longer of two sentences that fits")
        .isEqualTo("Every detail of a coffee brand is made to be enjoyed.");
    assertThat(plan.get(4).audioScript()).as("one long sentence: its end from the clause break")
        .isEqualTo("A coffee brand makes every moment better.");
    assertThat(plan).allSatisfy(s -> assertThat(s.audioScript()).matches("[A-Z].*[.?!]"));
  }

  @Test
  void fitKeepsTheScriptWholeWhenItFitsAndCutsWordsOnlyWhenNoSentenceOrClauseDoes() {
    assertThat(LocalScenePlanner.fit("Short and sweet.", 5000)).isEqualTo("Short and sweet.");
    assertThat(LocalScenePlanner.fit("One two three four five. Six seven eight nine ten eleven twelve thirteen.", 3000))
        .as("7 words at most: the first sentence").isEqualTo("One two three four five.");
    assertThat(LocalScenePlanner.fit("One two three four five six seven eight nine ten eleven twelve thirteen.", 2000))
        .as("no sentence or clause fits five words: the first five").isEqualTo("One two three four five.");
  }

  @Test
  void theTiersSceneCapMakesFewerLongerScenesButNoneOverEightSeconds() {
    List<PlannedScene> capped = planner.plan("Create a 60-sec ad for a coffee brand", options(60), 10);
    List<PlannedScene> tight = planner.plan("Create a 60-sec ad for a coffee brand", options(60), 3);

    assertThat(planner.plan("Create a 60-sec ad for a coffee brand", options(60))).hasSize(12);
    assertThat(capped).hasSize(10).allSatisfy(s -> assertThat(s.durationMs()).isEqualTo(6000));
    assertThat(tight).as("8 s scenes are the floor").hasSize(8);
    assertThat(PlanRules.violations(capped.stream().map(s -> new PlanRules.Proposed(s.headline(), s.visualPrompt(),
        s.audioScript(), s.durationMs() / 1000.0)).toList(), options(60), 10)).isEmpty();
  }

  @Test
  void theSamePromptAndOptionsAlwaysGiveTheSamePlan() {
    assertThat(planner.plan("Create a 30-sec ad for a coffee brand", options(30)))
        .isEqualTo(planner.plan("Create a 30-sec ad for a coffee brand", options(30)));
  }

  @Test
  void theStructureFollowsTheMode() {
    List<PlannedScene> explainer = planner.plan("Explain our invoicing app", mode("explainer", 20));
    List<PlannedScene> story = planner.plan("A story about a lighthouse keeper", mode("story", 15));
    List<PlannedScene> music = planner.plan("A music video for a summer song", mode("music_video", 15));

    assertThat(explainer).extracting(PlannedScene::headline)
        .containsExactly("How does Our Invoicing App work?", "Step one: the idea", "Step two: how it works",
            "That's Our Invoicing App");
    assertThat(story.get(0).headline()).startsWith("It started with");
    assertThat(story.get(story.size() - 1).headline()).startsWith("The story of");
    assertThat(music.get(1).visualPrompt()).contains("montage");
    for (List<PlannedScene> plan : List.of(explainer, story, music)) {
      assertThat(plan.stream().mapToInt(PlannedScene::durationMs).sum())
          .isEqualTo(plan.size() == 4 ? 20_000 : 15_000);
    }
  }

  @Test
  void toneAndDirectorStyleSetTheLookOfEveryShot() {
    VideoOptions playful = new VideoOptions(10, "9:16", "720p", "ad", "playful", "Wes Anderson", null, true, true,
        null, "auto");
    VideoOptions unknown = new VideoOptions(10, "9:16", "720p", "ad", "wistful", "Agnès Varda", null, true, true,
        null, "auto");

    assertThat(planner.plan("An ad for a toy shop", playful)).allSatisfy(s -> assertThat(s.visualPrompt())
        .contains("bright saturated colours").contains("symmetric centred framing, pastel palette"));
    assertThat(planner.plan("An ad for a toy shop", unknown)).allSatisfy(s -> assertThat(s.visualPrompt())
        .contains("a wistful mood").contains("in the style of Agnès Varda"));
  }

  private static VideoOptions mode(String mode, int seconds) {
    return new VideoOptions(seconds, "16:9", "720p", mode, null, null, null, true, true, null, "auto");
  }

  @Test
  void findsTheSubjectBehindTheRequestWords() {
    assertThat(LocalScenePlanner.subjectOf("Create a 30-sec ad for a coffee brand")).isEqualTo("a coffee brand");
    assertThat(LocalScenePlanner.subjectOf("make me a 15 second promo featuring our new sneakers!"))
        .isEqualTo("our new sneakers");
    assertThat(LocalScenePlanner.subjectOf("A calm sunrise over the sea")).isEqualTo("A calm sunrise over the sea");
  }

  private static VideoOptions options(int seconds) {
    return new VideoOptions(seconds, "16:9", "720p");
  }
}
