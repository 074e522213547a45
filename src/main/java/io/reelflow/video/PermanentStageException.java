package io.reelflow.video;

/**
 * A failure that retrying cannot fix: the route configuration fails the video (and scene) with
 * {@link #code()} and does not redeliver.
 */
public class PermanentStageException extends RuntimeException {

  private final String code;

  public PermanentStageException(String code, String message) {
    super(message);
    this.code = code;
  }

  public PermanentStageException(String code, String message, Throwable cause) {
    super(message, cause);
    this.code = code;
  }

  /** Stable machine-readable error code stored on the video, e.g. {@code render_failed}. */
  public String code() {
    return code;
  }
}
