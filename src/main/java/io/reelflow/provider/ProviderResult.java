package io.reelflow.provider;

/**
 * What a provider call answered: the media, the id of a job still running at the provider, which
 * a later {@link MediaProvider#poll} (or the provider's webhook) finishes, or a finished job whose
 * output is still to be fetched.
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

  /**
   * The provider's job succeeded and its output waits to be fetched with {@link
   * MediaProvider#fetch}; the provider's capacity is free again already.
   *
   * @param outputUrl where the provider keeps the output (it expires)
   * @param providerMillis how long the provider worked on it
   */
  record Ready(String jobId, String outputUrl, long providerMillis) implements ProviderResult {}
}
