package io.reelflow.video;

import java.util.UUID;

/** Queue payload naming a video to work on ({@code video.plan}, {@code video.compose}). */
public record VideoMessage(UUID videoId) {}
