package io.reelflow.video;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.UUID;

/** A row of {@code videos}, as read. */
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
    OffsetDateTime completedAt) {}
