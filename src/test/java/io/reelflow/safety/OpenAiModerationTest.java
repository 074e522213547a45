package io.reelflow.safety;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OpenAiModerationTest {

  private final ObjectMapper mapper = new ObjectMapper();
  private final OpenAiModeration moderation = new OpenAiModeration(mapper, "omni-moderation-latest");

  @Test
  void asksForTheConfiguredModelWithThePromptAsInput() throws IOException {
    JsonNode body = mapper.readTree(moderation.requestBody("a \"quoted\" prompt\nwith a newline"));

    assertThat(body.path("model").asText()).isEqualTo("omni-moderation-latest");
    assertThat(body.path("input").asText()).isEqualTo("a \"quoted\" prompt\nwith a newline");
    assertThat(body.size()).isEqualTo(2);
  }

  @Test
  void blocksTheMostSeriousFlaggedCategoryWithItsScore() throws IOException {
    ModerationVerdict verdict = moderation.parse(fixture("flagged-sexual-minors-and-sexual.json"));

    assertThat(verdict.blocked()).isTrue();
    assertThat(verdict.category()).isEqualTo("sexual_minors");
    assertThat(verdict.score()).isCloseTo(0.83, within(1e-9));
    assertThat(verdict.source()).isEqualTo("remote");
    assertThat(verdict.reason()).isEqualTo("flagged sexual/minors (0.83)");
  }

  @Test
  void allowsAnUnflaggedPromptWithItsHighestMappedScore() throws IOException {
    ModerationVerdict verdict = moderation.parse(fixture("not-flagged.json"));

    assertThat(verdict.blocked()).isFalse();
    assertThat(verdict.category()).isNull();
    assertThat(verdict.score()).isCloseTo(0.0004, within(1e-9));
    assertThat(verdict.source()).isEqualTo("remote");
  }

  @Test
  void flagsOutsideOurCategoriesDoNotBlock() throws IOException {
    ModerationVerdict verdict = moderation.parse(fixture("flagged-harassment-only.json"));

    assertThat(verdict.blocked()).isFalse();
    assertThat(verdict.reason()).isEqualTo("flagged only outside the blocked categories");
  }

  @ParameterizedTest
  @CsvSource({
      "sexual/minors, sexual_minors",
      "sexual, sexual",
      "hate, hate",
      "hate/threatening, hate",
      "self-harm, self_harm",
      "self-harm/intent, self_harm",
      "self-harm/instructions, self_harm",
      "violence/graphic, graphic_violence",
      "illicit/violent, weapons_instructions"})
  void mapsTheirCategoryToOurs(String theirs, String ours) {
    String response = """
        {"results":[{"flagged":true,"categories":{"%s":true},"category_scores":{"%s":0.9}}]}
        """.formatted(theirs, theirs);

    ModerationVerdict verdict = moderation.parse(response);

    assertThat(verdict.blocked()).isTrue();
    assertThat(verdict.category()).isEqualTo(ours);
    assertThat(verdict.score()).isEqualTo(0.9);
  }

  @Test
  void readsOlderModelsThatAnswerNullForIllicit() {
    String response = """
        {"results":[{"flagged":true,
          "categories":{"illicit":null,"illicit/violent":null,"violence/graphic":true},
          "category_scores":{"illicit":null,"illicit/violent":null,"violence/graphic":0.77}}]}
        """;

    assertThat(moderation.parse(response).category()).isEqualTo("graphic_violence");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "not json",
      "{\"error\":{\"message\":\"Incorrect API key provided\",\"type\":\"invalid_request_error\"}}",
      "{\"results\":[]}"})
  void anAnswerThatIsNoModerationResultMakesModerationUnavailable(String response) {
    assertThatThrownBy(() -> moderation.parse(response)).isInstanceOf(ModerationUnavailableException.class);
  }

  @Test
  void theOpenFailurePolicyLetsThePromptThroughMarkedUnavailable() {
    ModerationVerdict verdict = moderation.onUnavailable("open");

    assertThat(verdict.blocked()).isFalse();
    assertThat(verdict.source()).isEqualTo("remote-unavailable");
  }

  @Test
  void theClosedFailurePolicyAndAnyUnknownOneRefuse() {
    assertThatThrownBy(() -> moderation.onUnavailable("closed")).isInstanceOf(ModerationUnavailableException.class);
    assertThatThrownBy(() -> moderation.onUnavailable("opne")).isInstanceOf(ModerationUnavailableException.class);
    assertThatThrownBy(() -> moderation.onUnavailable(null)).isInstanceOf(ModerationUnavailableException.class);
  }

  private static String fixture(String name) throws IOException {
    try (InputStream in = OpenAiModerationTest.class.getResourceAsStream("/safety/openai/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
