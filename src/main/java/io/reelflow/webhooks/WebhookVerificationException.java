package io.reelflow.webhooks;

/**
 * A webhook that failed verification. The message names only the {@link Reason}: never a header
 * value, the expected signature, or which secret was tried, so it is safe to log and to map to an
 * HTTP status.
 */
public class WebhookVerificationException extends RuntimeException {

  /** Why a webhook was refused; stable names, safe to use as metric tags or error codes. */
  public enum Reason {
    /**
     * {@code webhook-id}, {@code webhook-timestamp} or {@code webhook-signature} is absent, blank,
     * or given twice (names differing only in case) with different values.
     */
    MISSING_HEADERS,
    /** {@code webhook-timestamp} is not a plain unix-seconds integer. */
    BAD_TIMESTAMP,
    /** {@code webhook-timestamp} is further from now than the tolerance, in the past or future. */
    STALE_TIMESTAMP,
    /** No {@code v1} signature in {@code webhook-signature} matches any configured secret. */
    NO_MATCHING_SIGNATURE
  }

  private final Reason reason;

  WebhookVerificationException(Reason reason) {
    super("webhook rejected: " + reason);
    this.reason = reason;
  }

  /** Why verification failed. */
  public Reason reason() {
    return reason;
  }
}
