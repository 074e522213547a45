package io.reelflow.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.reelflow.video.Edits.SceneState;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class SceneEditRequestsTest {

  static final ObjectMapper JSON = new ObjectMapper();
  static final SceneState SCENE = new SceneState(UUID.randomUUID(), 1, 1, "Fresh every day",
      "A loaf of bread on a wooden table, morning light", "Baked at dawn, on your table by eight.", 4000, null, null,
      "succeeded");

  @Test
  void aTrimIsSnappedToWholeFramesAndOnlyTheTrimChanges() {
    SceneState edited = apply("{\"trim_in_seconds\": 0.51, \"trim_out_seconds\": 2.5}");

    assertThat(edited.trimInMs()).as("12.75 frames of 40 ms").isEqualTo(520);
    assertThat(edited.trimOutMs()).as("62.5 frames").isEqualTo(2520);
    assertThat(edited).usingRecursiveComparison().ignoringFields("trimInMs", "trimOutMs").isEqualTo(SCENE);
  }

  @Test
  void oneTrimPointKeepsTheOtherAndNullResetsItToTheSceneEdge() {
    SceneState trimmed = new SceneState(SCENE.id(), 1, 1, SCENE.headline(), SCENE.visualPrompt(), SCENE.audioScript(),
        4000, 1000, 3000, "succeeded");

    SceneState later = SceneEditRequests.apply(trimmed, patch("{\"trim_out_seconds\": 3.6}"));
    SceneState reset = SceneEditRequests.apply(trimmed, patch("{\"trim_in_seconds\": null, \"trim_out_seconds\": 4}"));

    assertThat(later.trimInMs()).isEqualTo(1000);
    assertThat(later.trimOutMs()).isEqualTo(3600);
    assertThat(reset.trimInMs()).as("0 is stored as the scene's start").isNull();
    assertThat(reset.trimOutMs()).as("the length is stored as the scene's end").isNull();
  }

  @Test
  void refusesTrimPointsOutsideTheSceneOrKeepingLessThanASecond() {
    assertThat(fields(problem("{\"trim_out_seconds\": 4.2}"))).containsExactly("trim_out_seconds");
    assertThat(fields(problem("{\"trim_in_seconds\": 3, \"trim_out_seconds\": 2}"))).containsExactly("trim_in_seconds");
    assertThat(fields(problem("{\"trim_in_seconds\": 2.5, \"trim_out_seconds\": 3.2}")))
        .containsExactly("trim_out_seconds");
    assertThat(problem("{\"trim_in_seconds\": 3.5}").errors().get(0).get("message")).contains("at least 1 s");
    assertThat(fields(problem("{\"trim_in_seconds\": -1}"))).containsExactly("trim_in_seconds");
    assertThat(fields(problem("{\"trim_in_seconds\": \"1\"}"))).containsExactly("trim_in_seconds");
  }

  @Test
  void refusesAVoiceOverThatDoesNotFitTheScene() {
    ApiException refused = problem(
        "{\"audio_script\": \"one two three four five six seven eight nine ten eleven twelve thirteen\"}");

    assertThat(fields(refused)).containsExactly("audio_script");
    assertThat(refused.errors().get(0).get("message")).isEqualTo("has 13 words; at most 12 fit the scene's 4.0 s");
    assertThat(apply("{\"audio_script\": \"Fresh bread, every single morning, at your door.\"}").audioScript())
        .isEqualTo("Fresh bread, every single morning, at your door.");
  }

  @Test
  void refusesUnknownFieldsNullTextsShortPromptsAndEmptyBodiesListingEach() {
    ApiException refused = catchThrowableOfType(ApiException.class, () -> patch(
        "{\"visual_prompt\": \"short\", \"headline\": null, \"duration_seconds\": 3, \"audio_script\": \"\"}"));

    assertThat(refused.status()).isEqualTo(400);
    assertThat(fields(refused)).containsExactlyInAnyOrder("visual_prompt", "headline", "duration_seconds",
        "audio_script");
    assertThat(fields(catchThrowableOfType(ApiException.class, () -> patch("{}")))).containsExactly("body");
  }

  @Test
  void anEditThatChangesNothingIsRefused() {
    assertThat(fields(problem("{\"headline\": \"Fresh every day\", \"trim_in_seconds\": 0}"))).containsExactly("body");
  }

  @Test
  void namesTheGivenFieldsAndTheTextsToModerate() {
    SceneEditRequests.Patch patch = patch("{\"headline\": \"New\", \"trim_out_seconds\": 3}");

    assertThat(patch.fields()).containsExactly("headline", "trim_out_seconds");
    assertThat(patch.moderatedText()).isEqualTo("New");
    assertThat(patch("{\"trim_out_seconds\": 3}").moderatedText()).isNull();
  }

  @Test
  void anOrderMustNameEverySceneOnceAndChangeSomething() {
    List<Integer> now = List.of(0, 1, 2);

    assertThat(SceneEditRequests.order(json("{\"order\": [2, 0, 1]}"), now)).containsExactly(2, 0, 1);
    for (String body : List.of("{\"order\": [0, 1]}", "{\"order\": [0, 1, 1]}", "{\"order\": [0, 1, 3]}",
        "{\"order\": [0, 1, 2]}", "{\"order\": \"2,0,1\"}", "{\"order\": [2, 0, 1.5]}", "{}")) {
      ApiException refused = catchThrowableOfType(ApiException.class, () -> SceneEditRequests.order(json(body), now));
      assertThat(fields(refused)).as(body).containsExactly("order");
    }
    assertThat(fields(catchThrowableOfType(ApiException.class,
        () -> SceneEditRequests.order(json("{\"order\": [2, 0, 1], \"x\": 1}"), now)))).containsExactly("x");
  }

  private static SceneState apply(String body) {
    return SceneEditRequests.apply(SCENE, patch(body));
  }

  private static ApiException problem(String body) {
    return catchThrowableOfType(ApiException.class, () -> apply(body));
  }

  private static SceneEditRequests.Patch patch(String body) {
    return SceneEditRequests.patch(json(body));
  }

  private static List<String> fields(ApiException e) {
    assertThat(e).isNotNull();
    return e.errors().stream().map(m -> m.get("field")).toList();
  }

  private static JsonNode json(String body) {
    try {
      return JSON.readTree(body);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }
}
