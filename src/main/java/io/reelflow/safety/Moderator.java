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

  /**
   * The verdict on a finished video, before it is viewable: what it says and shows as text, and
   * frames sampled from every scene. The default judges the transcript as a prompt; a moderator
   * that can see images also judges the frames.
   */
  default ModerationVerdict moderateOutput(OutputSample sample) {
    return moderate(sample.transcript());
  }
}
