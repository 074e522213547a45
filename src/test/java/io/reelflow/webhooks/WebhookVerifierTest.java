package io.reelflow.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.standardwebhooks.Webhook;
import io.reelflow.webhooks.WebhookVerificationException.Reason;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class WebhookVerifierTest {

  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
  private static final Duration TOLERANCE = Duration.ofMinutes(5);
  private static final String MSG_ID = "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W";
  private static final byte[] BODY =
      "{\"type\":\"video.composed\",\"data\":{\"videoId\":\"v_42\"}}"
          .getBytes(StandardCharsets.UTF_8);

  private final WebhookSecret secret = WebhookSecret.generate();
  private final WebhookSigner signer = new WebhookSigner(secret);
  private final WebhookVerifier verifier = verifierTrusting(List.of(secret));

  @Test
  void acceptsWhatTheSignerSigned() {
    assertThatCode(() -> verifier.verify(signedNow(), BODY)).doesNotThrowAnyException();
  }

  @Test
  void acceptsTheStandardWebhooksReferenceVectorAtItsTimestamp() {
    Clock then = Clock.fixed(Instant.ofEpochSecond(1614265330L), ZoneOffset.UTC);
    WebhookVerifier reference = new WebhookVerifier(
        List.of(WebhookSecret.parse("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")), TOLERANCE, then);
    Map<String, String> headers = Map.of(
        "webhook-id", "msg_p5jXN8AQM9LWM0D4loKWxJek",
        "webhook-timestamp", "1614265330",
        "webhook-signature", "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");

    assertThatCode(() -> reference.verify(headers, "{\"test\": 2432232314}".getBytes(
        StandardCharsets.UTF_8))).doesNotThrowAnyException();
  }

  @Test
  void rejectsATamperedBody() {
    byte[] tampered = BODY.clone();
    tampered[tampered.length - 3] ^= 1;

    assertRejected(() -> verifier.verify(signedNow(), tampered), Reason.NO_MATCHING_SIGNATURE);
  }

  @Test
  void rejectsATamperedId() {
    Map<String, String> headers = signedNow();
    headers.put("webhook-id", MSG_ID + "x");

    assertRejected(() -> verifier.verify(headers, BODY), Reason.NO_MATCHING_SIGNATURE);
  }

  @Test
  void rejectsATamperedTimestampEvenWithinTolerance() {
    Map<String, String> headers = signedNow();
    headers.put("webhook-timestamp", Long.toString(NOW.getEpochSecond() - 1));

    assertRejected(() -> verifier.verify(headers, BODY), Reason.NO_MATCHING_SIGNATURE);
  }

  @Test
  void acceptsTimestampsExactlyAtTheToleranceInBothDirections() {
    Map<String, String> oldest = signedAt(NOW.minus(TOLERANCE));
    Map<String, String> newest = signedAt(NOW.plus(TOLERANCE));

    assertThatCode(() -> verifier.verify(oldest, BODY)).doesNotThrowAnyException();
    assertThatCode(() -> verifier.verify(newest, BODY)).doesNotThrowAnyException();
  }

  @Test
  void rejectsATimestampOneSecondOlderThanTheTolerance() {
    Map<String, String> stale = signedAt(NOW.minus(TOLERANCE).minusSeconds(1));

    assertRejected(() -> verifier.verify(stale, BODY), Reason.STALE_TIMESTAMP);
  }

  @Test
  void rejectsATimestampOneSecondFurtherInTheFutureThanTheTolerance() {
    Map<String, String> future = signedAt(NOW.plus(TOLERANCE).plusSeconds(1));

    assertRejected(() -> verifier.verify(future, BODY), Reason.STALE_TIMESTAMP);
  }

  @Test
  void acceptsWhenOneOfSeveralSignaturesMatches() {
    Map<String, String> headers = signedNow();
    String valid = headers.get("webhook-signature");
    String forged = "v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=";
    headers.put("webhook-signature", forged + " v2," + valid.substring(3) + " " + valid + " "
        + forged);

    assertThatCode(() -> verifier.verify(headers, BODY)).doesNotThrowAnyException();
  }

  @Test
  void acceptsMessagesSignedWithTheOldOrTheNewSecretDuringRotation() {
    WebhookSecret next = WebhookSecret.generate();
    WebhookVerifier rotating = verifierTrusting(List.of(next, secret));
    Map<String, String> byOld = signedNow();
    Map<String, String> byNew = new HashMap<>(new WebhookSigner(next).headers(MSG_ID, NOW, BODY));

    assertThatCode(() -> rotating.verify(byOld, BODY)).doesNotThrowAnyException();
    assertThatCode(() -> rotating.verify(byNew, BODY)).doesNotThrowAnyException();
  }

  @Test
  void rejectsASignatureByASecretItDoesNotTrust() {
    Map<String, String> byStranger =
        new WebhookSigner(WebhookSecret.generate()).headers(MSG_ID, NOW, BODY);

    assertRejected(() -> verifier.verify(byStranger, BODY), Reason.NO_MATCHING_SIGNATURE);
  }

  @ParameterizedTest
  @ValueSource(strings = {"v1a", "v2", "V1", "v10"})
  void ignoresSignaturesWithOtherVersionPrefixes(String version) {
    Map<String, String> headers = signedNow();
    String valid = headers.get("webhook-signature");
    String relabelled = version + "," + valid.substring(3);

    headers.put("webhook-signature", relabelled);
    assertRejected(() -> verifier.verify(headers, BODY), Reason.NO_MATCHING_SIGNATURE);

    headers.put("webhook-signature", relabelled + " " + valid);
    assertThatCode(() -> verifier.verify(headers, BODY)).doesNotThrowAnyException();
  }

  @ParameterizedTest
  @ValueSource(strings = {"webhook-id", "webhook-timestamp", "webhook-signature"})
  void rejectsAMissingOrBlankHeader(String name) {
    Map<String, String> missing = signedNow();
    missing.remove(name);
    Map<String, String> blank = signedNow();
    blank.put(name, " ");

    assertRejected(() -> verifier.verify(missing, BODY), Reason.MISSING_HEADERS);
    assertRejected(() -> verifier.verify(blank, BODY), Reason.MISSING_HEADERS);
    assertRejected(() -> verifier.verify(Map.of(), BODY), Reason.MISSING_HEADERS);
  }

  @Test
  void matchesHeaderNamesIgnoringCase() {
    Map<String, String> headers = new HashMap<>();
    signedNow().forEach((name, value) -> headers.put(name.toUpperCase(Locale.ROOT), value));
    headers.put("Webhook-Id", headers.remove("WEBHOOK-ID"));

    assertThatCode(() -> verifier.verify(headers, BODY)).doesNotThrowAnyException();
  }

  @Test
  void rejectsTheSameHeaderGivenTwiceWithDifferentValues() {
    Map<String, String> headers = new TreeMap<>(signedNow());
    headers.put("Webhook-Id", "msg_other");

    assertRejected(() -> verifier.verify(headers, BODY), Reason.MISSING_HEADERS);
  }

  @ParameterizedTest
  @ValueSource(strings = {"abc", "-5", "+1772366400", "1772366400.0", " 1772366400", "1.7e9",
      "0x69a42a40", "1772366400000000000"})
  void rejectsATimestampThatIsNotPlainUnixSeconds(String timestamp) {
    Map<String, String> headers = signedNow();
    headers.put("webhook-timestamp", timestamp);

    assertRejected(() -> verifier.verify(headers, BODY), Reason.BAD_TIMESTAMP);
  }

  @ParameterizedTest
  @ValueSource(strings = {"garbage", "v1", "v1,", ",abc", "v1,!!!", "v1,,", "  ", "v1, abc"})
  void rejectsMalformedSignatureEntries(String signature) {
    Map<String, String> headers = signedNow();
    headers.put("webhook-signature", signature + " v1,");

    assertRejected(() -> verifier.verify(headers, BODY), Reason.NO_MATCHING_SIGNATURE);
  }

  @Test
  void rejectsASignatureWithoutItsBase64Padding() {
    Map<String, String> headers = signedNow();
    headers.put("webhook-signature", headers.get("webhook-signature").replace("=", ""));

    assertRejected(() -> verifier.verify(headers, BODY), Reason.NO_MATCHING_SIGNATURE);
  }

  @Test
  void failureMessageNamesOnlyTheReason() {
    Map<String, String> headers = signedNow();
    String expected = headers.get("webhook-signature").substring(3);
    headers.put("webhook-signature", "v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=");

    assertThatThrownBy(() -> verifier.verify(headers, BODY))
        .hasMessage("webhook rejected: NO_MATCHING_SIGNATURE")
        .hasNoCause()
        .message()
        .doesNotContain(expected, MSG_ID, secret.encoded().substring(6));
  }

  @Test
  void refusesToBeBuiltWithoutSecretsOrWithANegativeTolerance() {
    Clock clock = Clock.systemUTC();
    assertThatThrownBy(() -> new WebhookVerifier(List.of(), TOLERANCE, clock))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new WebhookVerifier(List.of(secret), Duration.ofSeconds(-1), clock))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @MethodSource("io.reelflow.webhooks.RandomDeliveries#deliveries")
  void acceptsWhatTheReferenceLibrarySigned(RandomDeliveries.Delivery delivery) throws Exception {
    long timestamp = NOW.getEpochSecond();
    String signature =
        new Webhook(delivery.secret()).sign(delivery.msgId(), timestamp, delivery.body());
    Map<String, String> headers = Map.of(
        "webhook-id", delivery.msgId(),
        "webhook-timestamp", Long.toString(timestamp),
        "webhook-signature", signature);
    WebhookSecret theirs = WebhookSecret.parse(delivery.secret());

    assertThatCode(() -> verifierTrusting(List.of(theirs)).verify(headers, delivery.bodyBytes()))
        .doesNotThrowAnyException();
    assertThatCode(() -> verifierTrusting(List.of(secret, theirs))
        .verify(headers, delivery.bodyBytes())).doesNotThrowAnyException();
    assertRejected(() -> verifier.verify(headers, delivery.bodyBytes()),
        Reason.NO_MATCHING_SIGNATURE);
  }

  private static WebhookVerifier verifierTrusting(List<WebhookSecret> secrets) {
    return new WebhookVerifier(secrets, TOLERANCE, Clock.fixed(NOW, ZoneOffset.UTC));
  }

  private Map<String, String> signedNow() {
    return signedAt(NOW);
  }

  private Map<String, String> signedAt(Instant at) {
    return new HashMap<>(signer.headers(MSG_ID, at, BODY));
  }

  private static void assertRejected(ThrowingCallable verification, Reason reason) {
    assertThatThrownBy(verification)
        .isInstanceOfSatisfying(
            WebhookVerificationException.class, e -> assertThat(e.reason()).isEqualTo(reason));
  }
}
