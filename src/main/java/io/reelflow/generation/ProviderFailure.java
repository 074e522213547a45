package io.reelflow.generation;

import io.reelflow.video.PermanentStageException;
import io.reelflow.video.SceneFailure;

/**
 * A scene that could not get its media: a permanent refusal, no provider able to make it, or
 * retries spent. Ends the scene and its video, saying which scene, provider and provider code.
 */
public class ProviderFailure extends PermanentStageException implements SceneFailure {

  private final int sceneSequence;
  private final String provider;
  private final String providerCode;
  private final boolean retryable;

  ProviderFailure(String code, String message, int sceneSequence, String provider, String providerCode,
      boolean retryable) {
    super(code, message);
    this.sceneSequence = sceneSequence;
    this.provider = provider;
    this.providerCode = providerCode;
    this.retryable = retryable;
  }

  /** Sequence number of the scene that failed. */
  @Override
  public int sceneSequence() {
    return sceneSequence;
  }

  /** The provider that failed last. */
  @Override
  public String provider() {
    return provider;
  }

  /** The provider's normalised error code. */
  @Override
  public String providerCode() {
    return providerCode;
  }

  /** Whether retrying the scene later may succeed (an outage, not a refusal). */
  @Override
  public boolean retryable() {
    return retryable;
  }
}
