package io.reelflow.generation;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Provider webhooks and the reconciler ({@code reelflow.reconciler.*}).
 *
 * @param intervalMs how often the reconciler looks for silent provider jobs and for webhooks not
 *     yet applied
 * @param silentAfter a provider job not heard of (no webhook, no poll) for this long is polled by
 *     the reconciler
 * @param batchSize jobs or webhooks taken per run
 * @param webhookRetention how long received webhook ids (the deduplication window) and the
 *     received webhooks are kept
 * @param unmatchedGiveUp how long a webhook about a job not known (yet) is tried again
 */
@ConfigurationProperties("reelflow.reconciler")
public record ReconcilerSettings(long intervalMs, Duration silentAfter, int batchSize, Duration webhookRetention,
    Duration unmatchedGiveUp) {

  public ReconcilerSettings {
    intervalMs = intervalMs <= 0 ? 5000 : intervalMs;
    silentAfter = silentAfter == null ? Duration.ofSeconds(60) : silentAfter;
    batchSize = batchSize <= 0 ? 20 : batchSize;
    webhookRetention = webhookRetention == null ? Duration.ofDays(3) : webhookRetention;
    unmatchedGiveUp = unmatchedGiveUp == null ? Duration.ofMinutes(10) : unmatchedGiveUp;
  }
}
