package io.reelflow.video;

/** A stage failure that says where in generation the video broke. */
public interface SceneFailure {

  /** Sequence number of the scene that failed. */
  int sceneSequence();

  /** The provider that failed last; null when none was called. */
  String provider();

  /** The provider's normalised error code; null when none was called. */
  String providerCode();

  /** Whether submitting the video again (or retrying the scene) may succeed. */
  boolean retryable();
}
