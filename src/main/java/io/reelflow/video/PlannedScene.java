package io.reelflow.video;

/**
 * One scene of a plan, before it is stored.
 *
 * @param headline the short on-screen line of the scene
 * @param visualPrompt what the picture shows: subject, setting, camera, light
 * @param audioScript the voice-over, sized to the duration
 * @param durationMs the scene's exact share of the video
 */
public record PlannedScene(String headline, String visualPrompt, String audioScript, int durationMs) {}
