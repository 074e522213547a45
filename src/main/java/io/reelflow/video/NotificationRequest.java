package io.reelflow.video;

import java.util.UUID;

/** Queue payload on {@code notify.send}: tell the video's owner that {@code event} happened. */
public record NotificationRequest(UUID videoId, String event) {}
