package io.reelflow.video;

import java.time.Instant;
import java.util.Set;
import java.util.UUID;

/**
 * A scene claimed by a worker, with what it needs to render it and to be scheduled fairly.
 *
 * @param userId owner of the video (per-user slot cap)
 * @param tier the owner's tier ({@code free} keeps a floor share of slots)
 * @param videoCreatedAt when the video was submitted, or last run again by an edit or a scene retry
 *     (its deadline counts from here)
 * @param leaseOwner this claim's hold on the scene, unique per claim: a worker whose lease ran out
 *     and whose scene another worker of the same instance claimed finds it no longer its own
 * @param storedAssets the asset types the scene already had when it was claimed (a redelivered or
 *     retried scene keeps what it stored and makes only the rest)
 */
public record SceneJob(
    UUID sceneId,
    UUID videoId,
    int sequenceNumber,
    int sceneCount,
    String headline,
    String visualPrompt,
    String audioScript,
    int durationMs,
    VideoOptions options,
    String userId,
    String tier,
    Instant videoCreatedAt,
    String leaseOwner,
    Set<String> storedAssets) {

  /** Whether the owner is on the free tier. */
  public boolean freeTier() {
    return "free".equals(tier);
  }
}
