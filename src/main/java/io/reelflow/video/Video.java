package io.reelflow.video;

import java.time.OffsetDateTime;
import java.util.UUID;

/** A row of {@code videos}, as read. */
public record Video(
    UUID id,
    String userId,
    String prompt,
    VideoOptions options,
    VideoStatus status,
    Integer sceneCount,
    String finalVideoKey,
    String errorCode,
    String errorMessage,
    OffsetDateTime createdAt,
    OffsetDateTime updatedAt,
    OffsetDateTime completedAt) {}
