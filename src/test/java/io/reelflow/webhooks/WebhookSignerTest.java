package io.reelflow.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.standardwebhooks.Webhook;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class WebhookSignerTest {

  /** The vector from the reference libraries' own tests. */
  private static final String REFERENCE_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  private static final String REFERENCE_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
  private static final long REFERENCE_TIMESTAMP = 1614265330L;
  private static final byte[] REFERENCE_BODY =
      "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8);
  private static final String REFERENCE_SIGNATURE =
      "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

  private final WebhookSigner signer = new WebhookSigner(WebhookSecret.parse(REFERENCE_SECRET));

  @Test
  void signsTheStandardWebhooksReferenceVector() {
    assertThat(signer.sign(REFERENCE_ID, REFERENCE_TIMESTAMP, REFERENCE_BODY))
        .isEqualTo(REFERENCE_SIGNATURE);
  }

  @Test
  void signatureIsVersionOneAndBase64OfAThirtyTwoByteHmac() {
    String signature = signer.sign("msg_1", 1700000000L, new byte[0]);

    assertThat(signature).startsWith("v1,");
    assertThat(Base64.getDecoder().decode(signature.substring(3))).hasSize(32);
  }

  @Test
  void headersCarryTheIdTheTimestampInWholeSecondsAndTheSignature() {
    Instant at = Instant.ofEpochSecond(REFERENCE_TIMESTAMP, 987_000_000);

    Map<String, String> headers = signer.headers(REFERENCE_ID, at, REFERENCE_BODY);

    assertThat(headers)
        .containsExactly(
            Map.entry("webhook-id", REFERENCE_ID),
            Map.entry("webhook-timestamp", "1614265330"),
            Map.entry("webhook-signature", REFERENCE_SIGNATURE));
  }

  @Test
  void signsWithEverySecretWhileRotating() {
    WebhookSecret next = WebhookSecret.generate();
    WebhookSigner rotating =
        new WebhookSigner(List.of(next, WebhookSecret.parse(REFERENCE_SECRET)));

    String header = rotating.sign(REFERENCE_ID, REFERENCE_TIMESTAMP, REFERENCE_BODY);

    assertThat(header.split(" "))
        .containsExactly(
            new WebhookSigner(next).sign(REFERENCE_ID, REFERENCE_TIMESTAMP, REFERENCE_BODY),
            REFERENCE_SIGNATURE);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "msg.1", "msg 1", "msg\t1", "msg\r\nwebhook-id: x"})
  void refusesMessageIdsTheSpecDisallows(String msgId) {
    assertThatThrownBy(() -> signer.sign(msgId, REFERENCE_TIMESTAMP, REFERENCE_BODY))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void refusesToBeBuiltWithoutSecrets() {
    assertThatThrownBy(() -> new WebhookSigner(List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @MethodSource("io.reelflow.webhooks.RandomDeliveries#deliveries")
  void referenceLibraryAcceptsWhatWeSigned(RandomDeliveries.Delivery delivery) {
    WebhookSigner ours = new WebhookSigner(WebhookSecret.parse(delivery.secret()));
    Map<String, String> headers =
        ours.headers(delivery.msgId(), Instant.now(), delivery.bodyBytes());

    Webhook theirs = new Webhook(delivery.secret());

    assertThatCode(() -> theirs.verify(delivery.body(), asMultiValued(headers)))
        .doesNotThrowAnyException();
  }

  @ParameterizedTest
  @MethodSource("io.reelflow.webhooks.RandomDeliveries#deliveries")
  void referenceLibraryProducesTheSameSignatureAsWe(RandomDeliveries.Delivery delivery)
      throws Exception {
    WebhookSigner ours = new WebhookSigner(WebhookSecret.parse(delivery.secret()));
    Webhook theirs = new Webhook(delivery.secret());

    assertThat(ours.sign(delivery.msgId(), REFERENCE_TIMESTAMP, delivery.bodyBytes()))
        .isEqualTo(theirs.sign(delivery.msgId(), REFERENCE_TIMESTAMP, delivery.body()));
  }

  @ParameterizedTest
  @MethodSource("io.reelflow.webhooks.RandomDeliveries#deliveries")
  void referenceLibraryAcceptsOurRotatedHeaderWithEitherSecret(
      RandomDeliveries.Delivery delivery) {
    WebhookSecret old = WebhookSecret.parse(delivery.secret());
    WebhookSecret next = WebhookSecret.generate();
    Map<String, String> headers =
        new WebhookSigner(List.of(next, old))
            .headers(delivery.msgId(), Instant.now(), delivery.bodyBytes());

    Map<String, List<String>> received = asMultiValued(headers);

    assertThatCode(() -> new Webhook(old.encoded()).verify(delivery.body(), received))
        .doesNotThrowAnyException();
    assertThatCode(() -> new Webhook(next.encoded()).verify(delivery.body(), received))
        .doesNotThrowAnyException();
  }

  @Test
  void referenceLibraryRejectsOurSignatureUnderAnotherSecret() {
    Map<String, String> headers = signer.headers(REFERENCE_ID, Instant.now(), REFERENCE_BODY);
    Webhook stranger = new Webhook(WebhookSecret.generate().encoded());

    assertThatThrownBy(
            () -> stranger.verify(new String(REFERENCE_BODY, StandardCharsets.UTF_8),
                asMultiValued(headers)))
        .isInstanceOf(com.standardwebhooks.exceptions.WebhookVerificationException.class);
  }

  private static Map<String, List<String>> asMultiValued(Map<String, String> headers) {
    return headers.entrySet().stream()
        .collect(Collectors.toMap(Map.Entry::getKey, e -> List.of(e.getValue())));
  }
}
