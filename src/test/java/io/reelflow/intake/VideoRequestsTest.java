package io.reelflow.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.reelflow.video.VideoOptions;
import org.junit.jupiter.api.Test;

class VideoRequestsTest {

  private final VideoRequests requests = new VideoRequests(new ObjectMapper());

  @Test
  void appliesDefaultsAndTrimsThePrompt() {
    VideoRequest request = requests.parse("{\"prompt\": \"  A coffee ad  \"}");

    assertThat(request.prompt()).isEqualTo("A coffee ad");
    assertThat(request.options()).isEqualTo(new VideoOptions(15, "16:9", "720p"));
  }

  @Test
  void listsEveryOffendingField() {
    assertThatThrownBy(() -> requests.parse(
            "{\"prompt\": \" \", \"duration_seconds\": 121, \"aspect_ratio\": \"4:3\", \"colour\": 1}"))
        .isInstanceOfSatisfying(ApiException.class, e -> {
          assertThat(e.status()).isEqualTo(400);
          assertThat(e.code()).isEqualTo("invalid_request");
          assertThat(e.errors()).extracting(m -> m.get("field"))
              .containsExactlyInAnyOrder("colour", "prompt", "duration_seconds", "aspect_ratio");
        });
  }

  @Test
  void rejectsWrongTypesAndNonJson() {
    assertThatThrownBy(() -> requests.parse("{\"prompt\": 5, \"duration_seconds\": \"10\"}"))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.errors()).hasSize(3));
    assertThatThrownBy(() -> requests.parse("prompt=hello"))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.errors().get(0).get("field")).isEqualTo("body"));
  }

  @Test
  void rejectsPromptOverTwoThousandCharacters() {
    assertThatThrownBy(() -> requests.parse("{\"prompt\": \"" + "a".repeat(2001) + "\"}"))
        .isInstanceOf(ApiException.class);
    assertThat(requests.parse("{\"prompt\": \"" + "a".repeat(2000) + "\"}").prompt()).hasSize(2000);
  }

  @Test
  void sizesFramesFromAspectRatioAndResolution() {
    assertThat(new VideoOptions(10, "9:16", "720p")).extracting(VideoOptions::width, VideoOptions::height)
        .containsExactly(720, 1280);
    assertThat(new VideoOptions(10, "16:9", "480p")).extracting(VideoOptions::width, VideoOptions::height)
        .containsExactly(854, 480);
    assertThat(new VideoOptions(10, "1:1", "1080p")).extracting(VideoOptions::width, VideoOptions::height)
        .containsExactly(1080, 1080);
  }
}
