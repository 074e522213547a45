package io.reelflow.video;

/**
 * A failure that may pass on its own (a busy tool, a dropped connection): the route
 * configuration redelivers with exponential backoff, then fails the video with {@link #code()}.
 */
public class TransientStageException extends RuntimeException {

  private final String code;

  public TransientStageException(String code, String message, Throwable cause) {
    super(message, cause);
    this.code = code;
  }

  /** Stable machine-readable error code stored when the retries run out. */
  public String code() {
    return code;
  }
}
