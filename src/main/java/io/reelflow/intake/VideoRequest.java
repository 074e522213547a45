package io.reelflow.intake;

import io.reelflow.video.Delivery;
import io.reelflow.video.VideoOptions;

/** A validated {@code POST /v1/videos} body. */
public record VideoRequest(String prompt, VideoOptions options, Delivery delivery) {}
