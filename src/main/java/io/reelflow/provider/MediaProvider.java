package io.reelflow.provider;

import io.reelflow.video.SceneJob;
import java.nio.file.Path;

/**
 * A source of one kind of scene media. Local providers answer at once with {@link
 * ProviderResult.Done}; remote ones may answer {@link ProviderResult.Running} and are then polled.
 * Provider status names, ids and errors are normalised here: callers see only {@link
 * ProviderResult} and {@link ProviderException}. Implementations are thread-safe.
 */
public interface MediaProvider {

  /** Name used in configuration, on scenes, assets, slots, circuit breakers and metrics. */
  String name();

  /** The capability this provider serves. */
  Capability capability();

  /**
   * Whether it runs on this instance's own machine (ffmpeg, espeak-ng) rather than calling a
   * backend: its slots are then this instance's, counted in memory, not shared by every instance.
   */
  default boolean local() {
    return false;
  }

  /** Whether this provider can make media for the scene (aspect ratio, duration). */
  default boolean supports(SceneJob scene) {
    return true;
  }

  /**
   * Starts making the scene's media. Blocking for local providers.
   *
   * @param idempotencyKey deterministic per scene attempt; sent to providers whose API takes one,
   *     so that repeating a call after a lost answer never pays for a second generation
   * @throws ProviderException classified as retryable, permanent or unsupported
   */
  ProviderResult start(SceneJob scene, Path workDir, String idempotencyKey);

  /**
   * Asks about a job this provider accepted earlier (possibly before a restart, possibly from
   * another instance).
   *
   * @throws ProviderException when the job failed or the provider cannot be reached
   */
  default ProviderResult poll(String jobId) {
    throw ProviderException.permanent("provider_no_jobs", name() + " does not run asynchronous jobs");
  }

  /** Whether this provider reports job changes by webhook (then {@link #readWebhook} reads them). */
  default boolean sendsWebhooks() {
    return false;
  }

  /**
   * Reads a webhook this provider sent about one of its jobs, normalised like a poll's answer.
   * The body's authenticity is the caller's concern.
   *
   * @throws ProviderException (permanent, {@code provider_bad_webhook}) when the body is not one
   *     of this provider's job documents
   */
  default JobReport readWebhook(byte[] body) {
    throw ProviderException.permanent("provider_no_webhooks", name() + " sends no webhooks");
  }

  /**
   * Copies a finished job's output into {@code workDir} and makes it scene media (for an {@link
   * ProviderResult.Ready} answer). Called after the provider slot is given back.
   *
   * @throws ProviderException (retryable) when the output cannot be fetched; the job is resumed
   */
  default RenderedMedia fetch(SceneJob scene, Path workDir, ProviderResult.Ready ready) {
    throw ProviderException.permanent("provider_no_jobs", name() + " has no output to fetch");
  }

  /** Asks the provider to stop a job; best effort, never throws for a job that already ended. */
  default void cancel(String jobId) {}
}
