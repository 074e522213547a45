package io.reelflow.intake;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How submissions are written ({@link GroupCommit}): the requests that arrive together are admitted
 * in one transaction.
 *
 * @param writers threads that admit batches, each on one pooled connection at a time
 * @param maxBatch most requests in one batch
 * @param timeout the longest a batch's transaction may run (whole seconds, at least one): a batch
 *     over it is rolled back and its requests answered 503 {@code busy}, so no submission waits on
 *     a stalled database or another instance's lock without bound
 */
@ConfigurationProperties("reelflow.api.submit")
public record SubmitSettings(int writers, int maxBatch, @DefaultValue("5s") Duration timeout) {

  /** {@link #timeout} as a transaction timeout: whole seconds, rounded up, at least one. */
  int timeoutSeconds() {
    return (int) Math.max(1, (timeout.toMillis() + 999) / 1000);
  }
}
