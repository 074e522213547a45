package io.reelflow.provider;

import java.time.Duration;

/**
 * A provider call that did not produce media, classified so the caller knows what to do next:
 * retry (429, 5xx, timeouts, dropped connections), give up (a content-policy refusal, a rejected
 * key), or move to the next provider in the chain (this provider cannot make such a scene).
 */
public class ProviderException extends RuntimeException {

  /** What the failure means for the next step. */
  public enum Kind {
    /** A later attempt may succeed. */
    RETRYABLE,
    /** No attempt will succeed, with this or any provider. */
    PERMANENT,
    /** This provider cannot do it; another one in the chain may. */
    UNSUPPORTED
  }

  private final Kind kind;
  private final String code;
  private final Duration retryAfter;
  private boolean jobEnded;

  public ProviderException(Kind kind, String code, String message, Duration retryAfter) {
    super(message);
    this.kind = kind;
    this.code = code;
    this.retryAfter = retryAfter;
  }

  public ProviderException(Kind kind, String code, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
    this.code = code;
    this.retryAfter = null;
  }

  /** A retryable failure, with the delay the provider asked for (null when it did not). */
  public static ProviderException retryable(String code, String message, Duration retryAfter) {
    return new ProviderException(Kind.RETRYABLE, code, message, retryAfter);
  }

  /** A failure no retry can fix. */
  public static ProviderException permanent(String code, String message) {
    return new ProviderException(Kind.PERMANENT, code, message, (Duration) null);
  }

  /**
   * Marks that the provider's job itself ended (failed, canceled, lost), so a retry needs a new
   * job; without the mark, the failure was on the way (a poll timed out) and the job is resumed.
   */
  public ProviderException jobEnded() {
    this.jobEnded = true;
    return this;
  }

  /** Whether the provider's job ended with this failure. */
  public boolean endedJob() {
    return jobEnded;
  }

  public Kind kind() {
    return kind;
  }

  /** Normalised machine code, e.g. {@code rate_limited}, {@code content_policy_violation}. */
  public String code() {
    return code;
  }

  /** How long the provider asked us to wait (its {@code Retry-After}); null when it did not say. */
  public Duration retryAfter() {
    return retryAfter;
  }

  /** Whether the failure says something about the provider's health (for its circuit breaker). */
  public boolean countsAgainstProvider() {
    return kind == Kind.RETRYABLE && !"rate_limited".equals(code);
  }
}
