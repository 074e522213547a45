package io.reelflow.generation;

import io.reelflow.provider.ProviderSettings;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Delay before a scene's next try: exponential in the number of retries, with random jitter taken
 * off so that scenes that failed together do not return together, never shorter than what the
 * provider asked for in {@code Retry-After}, never longer than the configured maximum.
 */
record Backoff(ProviderSettings.Retry retry) {

  /**
   * @param retries retries already made (0 before the first retry)
   * @param retryAfter the provider's {@code Retry-After}, or null
   */
  Duration delay(int retries, Duration retryAfter) {
    double exponential = retry.initialBackoff().toMillis() * Math.pow(retry.multiplier(), Math.max(0, retries));
    double capped = Math.min(exponential, retry.maxBackoff().toMillis());
    double jittered = capped * (1 - retry.jitter() * ThreadLocalRandom.current().nextDouble());
    long asked = retryAfter == null ? 0 : retryAfter.toMillis();
    return Duration.ofMillis(Math.min(retry.maxBackoff().toMillis(), Math.max(asked, Math.round(jittered))));
  }
}
