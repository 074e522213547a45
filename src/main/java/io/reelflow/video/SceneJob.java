package io.reelflow.video;

import java.util.UUID;

/** A scene claimed by a worker, with what it needs to render it. */
public record SceneJob(
    UUID sceneId,
    UUID videoId,
    int sequenceNumber,
    int sceneCount,
    String headline,
    String visualPrompt,
    String audioScript,
    int durationMs,
    VideoOptions options) {}
