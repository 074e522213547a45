package io.reelflow.intake;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How submissions are written ({@link GroupCommit}): the requests that arrive together are admitted
 * in one transaction.
 *
 * @param writers threads that admit batches, each on one pooled connection at a time
 * @param maxBatch most requests in one batch
 */
@ConfigurationProperties("reelflow.api.submit")
public record SubmitSettings(int writers, int maxBatch) {}
