package io.reelflow.intake;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Whatever the body, parsing either yields a valid request or refuses it with a 4xx problem. */
class VideoRequestsPropertyTest {

  private final VideoRequests requests =
      new VideoRequests(new ObjectMapper(), VideoRequestsTest.SETTINGS, VideoRequestsTest.URLS);

  @Property(tries = 5000)
  void everyBodyIsAcceptedOrRefusedWithAClientError(@ForAll("bodies") String body) {
    try {
      VideoRequest request = requests.parse(VideoRequestsTest.PRO, body.getBytes(StandardCharsets.UTF_8));
      assertThat(request.prompt()).isNotBlank().hasSizeLessThanOrEqualTo(2000);
      assertThat(request.options().durationSeconds()).isBetween(5, 120);
      assertThat(request.prompt().chars()).noneMatch(c -> c == 0);
    } catch (ApiException refused) {
      assertThat(refused.status()).isBetween(400, 499);
      assertThat(refused.code()).isEqualTo("invalid_request");
      assertThat(refused.errors()).isNotEmpty();
    }
  }

  @Provide
  Arbitrary<String> bodies() {
    return SubmissionBodies.bodies();
  }
}
