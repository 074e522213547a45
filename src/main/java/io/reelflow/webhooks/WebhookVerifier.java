package io.reelflow.webhooks;

import io.reelflow.webhooks.WebhookVerificationException.Reason;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Verifies inbound Standard Webhooks: all three headers present, the timestamp within the
 * tolerance of this verifier's clock (past or future), and at least one {@code v1} signature in
 * {@code webhook-signature} equal to the HMAC under at least one configured secret. Entries with
 * other versions (such as the asymmetric {@code v1a}) or unparseable entries are ignored, not
 * refused, so a sender may add schemes this verifier does not know.
 *
 * <p>Why every signature is compared against every secret without stopping at the first match:
 * the time taken then depends only on how many entries and secrets there are, so it reveals
 * neither which secret matched nor how much of a forged signature was right. Comparisons use
 * {@link MessageDigest#isEqual}, which is constant-time for equal lengths.
 *
 * <p>Verification does not deduplicate: callers keep recently seen {@code webhook-id}s to refuse
 * replays inside the tolerance window. Immutable and thread-safe.
 */
public final class WebhookVerifier {

  /** The tolerance the reference libraries use. */
  public static final Duration DEFAULT_TOLERANCE = Duration.ofMinutes(5);

  private static final int MAX_TIMESTAMP_DIGITS = 18;

  private final List<WebhookSecret> secrets;
  private final long toleranceSeconds;
  private final Clock clock;

  /** A verifier with the default five-minute tolerance and the system clock. */
  public WebhookVerifier(List<WebhookSecret> secrets) {
    this(secrets, DEFAULT_TOLERANCE, Clock.systemUTC());
  }

  /**
   * A verifier accepting signatures by any of {@code secrets}, so old and new both work while a
   * secret is rotated.
   *
   * @param tolerance how far the timestamp may be from now in either direction, in whole seconds
   * @throws IllegalArgumentException when no secret is given or the tolerance is negative
   */
  public WebhookVerifier(List<WebhookSecret> secrets, Duration tolerance, Clock clock) {
    if (secrets.isEmpty()) {
      throw new IllegalArgumentException("a webhook verifier needs at least one secret");
    }
    if (tolerance.isNegative()) {
      throw new IllegalArgumentException("webhook tolerance must not be negative");
    }
    this.secrets = List.copyOf(secrets);
    this.toleranceSeconds = tolerance.getSeconds();
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Verifies one delivery; returns normally only when it is authentic and fresh.
   *
   * @param headers the request headers; names are matched ignoring case
   * @param body the raw request body, exactly as received (not re-serialised)
   * @throws WebhookVerificationException with the first failed check's {@link Reason}
   */
  public void verify(Map<String, String> headers, byte[] body) {
    Objects.requireNonNull(body, "body");
    String msgId = header(headers, WebhookSigner.ID_HEADER);
    String timestampText = header(headers, WebhookSigner.TIMESTAMP_HEADER);
    String signatures = header(headers, WebhookSigner.SIGNATURE_HEADER);
    long timestamp = parseTimestamp(timestampText);
    long skew = clock.instant().getEpochSecond() - timestamp;
    if (Math.abs(skew) > toleranceSeconds) {
      throw new WebhookVerificationException(Reason.STALE_TIMESTAMP);
    }
    if (!anyMatches(candidates(signatures), msgId, timestamp, body)) {
      throw new WebhookVerificationException(Reason.NO_MATCHING_SIGNATURE);
    }
  }

  private boolean anyMatches(List<byte[]> candidates, String msgId, long timestamp, byte[] body) {
    boolean matched = false;
    for (WebhookSecret secret : secrets) {
      byte[] mac = WebhookSigner.mac(secret, msgId, timestamp, body);
      byte[] expected = Base64.getEncoder().encode(mac);
      for (byte[] candidate : candidates) {
        matched |= MessageDigest.isEqual(expected, candidate);
      }
    }
    return matched;
  }

  /** The base64 parts of the {@code v1,} entries, as ASCII bytes; everything else is skipped. */
  private static List<byte[]> candidates(String header) {
    List<byte[]> candidates = new ArrayList<>();
    for (String entry : header.split(" ")) {
      int comma = entry.indexOf(',');
      if (comma > 0 && entry.substring(0, comma).equals(WebhookSigner.VERSION)) {
        candidates.add(entry.substring(comma + 1).getBytes(StandardCharsets.US_ASCII));
      }
    }
    return candidates;
  }

  private static long parseTimestamp(String text) {
    if (text.length() > MAX_TIMESTAMP_DIGITS) {
      throw new WebhookVerificationException(Reason.BAD_TIMESTAMP);
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        throw new WebhookVerificationException(Reason.BAD_TIMESTAMP);
      }
    }
    return Long.parseLong(text);
  }

  /** The one non-blank value of {@code name}, ignoring case; refuses conflicting duplicates. */
  private static String header(Map<String, String> headers, String name) {
    String found = null;
    if (headers != null) {
      for (Map.Entry<String, String> entry : headers.entrySet()) {
        String value = entry.getValue();
        if (!name.equalsIgnoreCase(entry.getKey()) || value == null) {
          continue;
        }
        if (found != null && !found.equals(value)) {
          throw new WebhookVerificationException(Reason.MISSING_HEADERS);
        }
        found = value;
      }
    }
    if (found == null || found.isBlank()) {
      throw new WebhookVerificationException(Reason.MISSING_HEADERS);
    }
    return found;
  }
}
