package io.reelflow.net;

/**
 * A user-supplied URL that outbound HTTP refuses. {@link #getMessage()} reads "{@code <field>
 * <reason>}", e.g. "callback_url must use https", ready for an API error.
 */
public class UnsafeUrlException extends RuntimeException {

  private final String field;
  private final String reason;
  private final boolean retryable;

  UnsafeUrlException(String field, String reason) {
    this(field, reason, false);
  }

  UnsafeUrlException(String field, String reason, boolean retryable) {
    super(field + " " + reason);
    this.field = field;
    this.reason = reason;
    this.retryable = retryable;
  }

  /** The request field that carried the URL, e.g. {@code reference_image_url}. */
  public String field() {
    return field;
  }

  /** Short reason without the field, e.g. "resolves to a private address". */
  public String reason() {
    return reason;
  }

  /**
   * True only when the host did not resolve: at fetch time that may be a passing DNS failure, so
   * a worker may retry; every other refusal is final.
   */
  public boolean retryable() {
    return retryable;
  }
}
