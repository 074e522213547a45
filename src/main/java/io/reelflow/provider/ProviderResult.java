package io.reelflow.provider;

/**
 * What a provider call answered: the media, or the id of a job still running at the provider,
 * which a later {@link MediaProvider#poll} (or the provider's webhook) finishes.
 */
public sealed interface ProviderResult {

  /** The media is ready as a local work file. */
  record Done(RenderedMedia media) implements ProviderResult {}

  /**
   * The provider accepted the job and is working on it.
   *
   * @param jobId the provider's own id for the job
   * @param status {@code submitted} or {@code running}
   */
  record Running(String jobId, String status) implements ProviderResult {}
}
