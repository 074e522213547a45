package io.reelflow.webhooks;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A symmetric Standard Webhooks signing secret, serialised as {@code whsec_} followed by the
 * standard base64 of 24 to 64 random bytes. The key bytes never leave this class: signing and
 * verification ask it for an HMAC, and {@link #toString()} prints {@code whsec_***}.
 *
 * <p>Immutable and thread-safe.
 */
public final class WebhookSecret {

  static final String PREFIX = "whsec_";
  static final int MIN_BYTES = 24;
  static final int MAX_BYTES = 64;

  private static final String HMAC_SHA256 = "HmacSHA256";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final byte[] key;

  private WebhookSecret(byte[] key) {
    this.key = key;
  }

  /**
   * Parses the {@code whsec_<base64>} form.
   *
   * @throws IllegalArgumentException when the prefix is missing, the rest is not standard base64,
   *     or the key is shorter than 24 or longer than 64 bytes; the message never echoes the input
   */
  public static WebhookSecret parse(String encoded) {
    if (encoded == null || !encoded.startsWith(PREFIX)) {
      throw new IllegalArgumentException("webhook secret must start with " + PREFIX);
    }
    byte[] key;
    try {
      key = Base64.getDecoder().decode(encoded.substring(PREFIX.length()));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("webhook secret is not valid base64 after " + PREFIX);
    }
    if (key.length < MIN_BYTES || key.length > MAX_BYTES) {
      throw new IllegalArgumentException(
          "webhook secret must decode to " + MIN_BYTES + " to " + MAX_BYTES + " bytes");
    }
    return new WebhookSecret(key);
  }

  /** Creates a new secret of 24 bytes from a {@link SecureRandom}. */
  public static WebhookSecret generate() {
    byte[] key = new byte[MIN_BYTES];
    RANDOM.nextBytes(key);
    return new WebhookSecret(key);
  }

  /** The full {@code whsec_<base64>} form, for storing or showing to its owner once. */
  public String encoded() {
    return PREFIX + Base64.getEncoder().encodeToString(key);
  }

  /** HMAC-SHA256 under this key of the given parts, fed in order without copying them together. */
  byte[] hmac(byte[]... parts) {
    try {
      Mac mac = Mac.getInstance(HMAC_SHA256);
      mac.init(new SecretKeySpec(key, HMAC_SHA256));
      for (byte[] part : parts) {
        mac.update(part);
      }
      return mac.doFinal();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is unavailable", e);
    }
  }

  /** Equal when the keys are equal, compared in constant time. */
  @Override
  public boolean equals(Object other) {
    return other instanceof WebhookSecret that && MessageDigest.isEqual(key, that.key);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(key);
  }

  /** Always {@code whsec_***}: the key must not reach logs. */
  @Override
  public String toString() {
    return PREFIX + "***";
  }
}
