package io.reelflow.webhooks;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Signs outbound webhooks the Standard Webhooks way: HMAC-SHA256 over {@code
 * {msgId}.{timestamp}.{body}}, sent as {@code v1,<base64>}. Constructed with one secret, or with
 * several during a rotation, in which case every secret signs and the signatures are sent
 * space-separated so receivers holding either the old or the new secret accept the message.
 *
 * <p>Immutable and thread-safe; signing is deterministic for the same inputs.
 */
public final class WebhookSigner {

  /** The unique message id; stays the same across retries, so receivers can deduplicate. */
  public static final String ID_HEADER = "webhook-id";

  /** When this attempt was signed, in unix seconds. */
  public static final String TIMESTAMP_HEADER = "webhook-timestamp";

  /** Space-separated {@code <version>,<base64>} signatures. */
  public static final String SIGNATURE_HEADER = "webhook-signature";

  static final String VERSION = "v1";

  private final List<WebhookSecret> secrets;

  /** A signer for a single secret. */
  public WebhookSigner(WebhookSecret secret) {
    this(List.of(secret));
  }

  /**
   * A signer that signs with every given secret, in order (the current one first by convention).
   *
   * @throws IllegalArgumentException when no secret is given
   */
  public WebhookSigner(List<WebhookSecret> secrets) {
    if (secrets.isEmpty()) {
      throw new IllegalArgumentException("a webhook signer needs at least one secret");
    }
    this.secrets = List.copyOf(secrets);
  }

  /**
   * Signs one message.
   *
   * @param msgId the message id; must be non-blank and free of {@code .}, whitespace and control
   *     characters, as the spec asks, so the signed content cannot be reinterpreted
   * @return {@code v1,<base64>}, or several such entries separated by a space when rotating
   * @throws IllegalArgumentException for a message id the spec does not allow
   */
  public String sign(String msgId, long timestampSeconds, byte[] body) {
    requireSafeId(msgId);
    Objects.requireNonNull(body, "body");
    List<String> signatures = new ArrayList<>(secrets.size());
    for (WebhookSecret secret : secrets) {
      byte[] mac = mac(secret, msgId, timestampSeconds, body);
      signatures.add(VERSION + "," + Base64.getEncoder().encodeToString(mac));
    }
    return String.join(" ", signatures);
  }

  /**
   * The three headers to send with {@code body}, timestamped at {@code at} (truncated to whole
   * seconds), in the order id, timestamp, signature.
   */
  public Map<String, String> headers(String msgId, Instant at, byte[] body) {
    long timestamp = at.getEpochSecond();
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put(ID_HEADER, msgId);
    headers.put(TIMESTAMP_HEADER, Long.toString(timestamp));
    headers.put(SIGNATURE_HEADER, sign(msgId, timestamp, body));
    return Collections.unmodifiableMap(headers);
  }

  /** The raw HMAC of the signed content; shared with the verifier so both agree byte for byte. */
  static byte[] mac(WebhookSecret secret, String msgId, long timestampSeconds, byte[] body) {
    byte[] prefix = (msgId + "." + timestampSeconds + ".").getBytes(StandardCharsets.UTF_8);
    return secret.hmac(prefix, body);
  }

  private static void requireSafeId(String msgId) {
    if (msgId == null || msgId.isEmpty()) {
      throw new IllegalArgumentException("webhook message id must not be blank");
    }
    for (int i = 0; i < msgId.length(); i++) {
      char c = msgId.charAt(i);
      if (c == '.' || Character.isWhitespace(c) || Character.isISOControl(c)) {
        throw new IllegalArgumentException(
            "webhook message id must not contain '.', whitespace or control characters");
      }
    }
  }
}
