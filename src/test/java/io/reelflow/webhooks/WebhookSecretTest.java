package io.reelflow.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class WebhookSecretTest {

  private static final String REFERENCE_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

  @Test
  void parsesAndEncodesBackToTheSameText() {
    assertThat(WebhookSecret.parse(REFERENCE_SECRET).encoded()).isEqualTo(REFERENCE_SECRET);
  }

  @Test
  void generatesTwentyFourRandomBytes() {
    WebhookSecret first = WebhookSecret.generate();
    WebhookSecret second = WebhookSecret.generate();

    byte[] key = Base64.getDecoder().decode(first.encoded().substring("whsec_".length()));
    assertThat(key).hasSize(24);
    assertThat(first).isNotEqualTo(second);
    assertThat(WebhookSecret.parse(first.encoded())).isEqualTo(first);
  }

  @Test
  void printsNoKeyInToString() {
    WebhookSecret secret = WebhookSecret.parse(REFERENCE_SECRET);

    assertThat(secret).hasToString("whsec_***");
    assertThat(String.valueOf(WebhookSecret.generate())).isEqualTo("whsec_***");
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(
      strings = {
        "whsec_",
        "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
        "WHSEC_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
        " whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
        "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw\n",
        "whsec_MfKQ9r8GKYqrTwjUPD8I!PZIo2LaLaSw",
        "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSwA",
        "whsk_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
      })
  void rejectsMalformedSecrets(String text) {
    assertThatThrownBy(() -> WebhookSecret.parse(text))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void rejectsKeysShorterThanTwentyFourOrLongerThanSixtyFourBytes() {
    String tooShort = "whsec_" + Base64.getEncoder().encodeToString(new byte[23]);
    String tooLong = "whsec_" + Base64.getEncoder().encodeToString(new byte[65]);

    assertThatThrownBy(() -> WebhookSecret.parse(tooShort))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> WebhookSecret.parse(tooLong))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(WebhookSecret.parse("whsec_" + Base64.getEncoder().encodeToString(new byte[64])))
        .isNotNull();
  }

  @Test
  void rejectionMessageDoesNotEchoTheSecret() {
    String almost = "whsec_MfKQ9r8GKYqrTwjUPD8I!PZIo2LaLaSw";

    assertThatThrownBy(() -> WebhookSecret.parse(almost))
        .message()
        .doesNotContain("MfKQ9r8GKYqrTwjUPD8I");
  }
}
