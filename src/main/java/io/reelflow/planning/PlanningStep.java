package io.reelflow.planning;

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

  PlanningStep(Videos videos, Scenes scenes, PlannerChain planner) {
    this.videos = videos;
    this.scenes = scenes;
    this.planner = planner;
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
   * Plans the video (the LLM planner when configured, else or on its failure the local one),
   * stores the plan as the script asset and every scene before any is published.
   *
   * @return one message per scene for the Splitter
   */
  public List<SceneMessage> plan(UUID videoId) {
    Video video = videos.find(videoId).orElseThrow(() -> new UnknownVideoException(videoId));
    return scenes.savePlan(videoId, planner.plan(video));
  }
}
