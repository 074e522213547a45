package io.reelflow.safety;

/**
 * Decides whether a video prompt may be generated.
 *
 * <p>Called once per submission, before the video is stored. Implementations are thread-safe and
 * side-effect free: the same prompt gets the same verdict, so calling twice is harmless.
 */
public interface Moderator {

  /**
   * The verdict on {@code prompt}. Never null; a blocked verdict names one of the stable category
   * codes of {@link ModerationVerdict#category()}.
   */
  ModerationVerdict moderate(String prompt);
}
