package io.reelflow.planning;

import io.reelflow.generation.SceneQueues;
import io.reelflow.video.SceneMessage;
import io.reelflow.video.Scenes;
import io.reelflow.video.UnknownVideoException;
import io.reelflow.video.Video;
import io.reelflow.video.Videos;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Component;

/** The beans of {@code routes/planning.camel.yaml}: claim a queued video, plan it, store the plan. */
@Component("planningStep")
public class PlanningStep {

  private final Videos videos;
  private final Scenes scenes;
  private final PlannerChain planner;
  private final SceneQueues queues;

  PlanningStep(Videos videos, Scenes scenes, PlannerChain planner, SceneQueues queues) {
    this.videos = videos;
    this.scenes = scenes;
    this.planner = planner;
    this.queues = queues;
  }

  /** Moves a queued video to planning; false for a duplicate message (already past queued). */
  public boolean claim(UUID videoId) {
    if (videos.find(videoId).isEmpty()) {
      throw new UnknownVideoException(videoId);
    }
    return videos.startPlanning(videoId);
  }

  /** The reference image URL the user gave, or null; the route fetches it before planning. */
  public String referenceImageUrl(UUID videoId) {
    return videos.find(videoId).orElseThrow(() -> new UnknownVideoException(videoId)).options().referenceImageUrl();
  }

  /**
   * Plans the video (the LLM planner when configured, else or on its failure the local one) and
   * splits it: every scene stored and, in the same transaction, one message per scene queued on
   * its tier's generation queue with the tier's priority (through the outbox, which publishes the
   * plan's messages together once it commits).
   *
   * @return one message per scene; empty for a duplicate (the video was no longer planning)
   */
  public List<SceneMessage> plan(UUID videoId) {
    Video video = videos.find(videoId).orElseThrow(() -> new UnknownVideoException(videoId));
    return scenes.savePlan(videoId, planner.plan(video), queues.ofTier(video.tier()));
  }
}
