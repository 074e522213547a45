package io.reelflow.video;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * A row of {@code videos}, as read.
 *
 * @param version the current version of its final video (0 before the first composition)
 */
public record Video(
    UUID id,
    String userId,
    String tier,
    String prompt,
    VideoOptions options,
    Delivery delivery,
    VideoStatus status,
    Integer sceneCount,
    String finalVideoKey,
    String thumbnailKey,
    UUID cachedFrom,
    String errorCode,
    String errorMessage,
    String errorStage,
    Boolean errorRetryable,
    Videos.FailureOrigin errorOrigin,
    BigDecimal costEstimate,
    OffsetDateTime createdAt,
    OffsetDateTime updatedAt,
    OffsetDateTime completedAt,
    int version) {

  /** Whether a final video exists to download or edit: a version, not yet removed by retention. */
  public boolean hasVersion() {
    return version > 0 && status != VideoStatus.EXPIRED;
  }
}
