package io.reelflow.generation;

import io.micrometer.core.instrument.MeterRegistry;
import io.reelflow.intake.ApiSettings;
import io.reelflow.video.Scenes;
import io.reelflow.video.UnknownVideoException;
import io.reelflow.video.Video;
import io.reelflow.video.Videos;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Where a video's scenes queue: paid tiers on {@code scene.generate}, a priority queue, with their
 * tier's priority; the free tier on its own {@code scene.generate.free}, so its scenes reach the
 * workers (and their floor share of slots) even while paid work fills the priority queue.
 */
@Component("sceneQueues")
public class SceneQueues {

  /** Queue of the paid tiers' scenes. */
  public static final String PAID = "scene.generate";

  /** Queue of the free tier's scenes. */
  public static final String FREE = "scene.generate.free";

  private final Videos videos;
  private final Scenes scenes;
  private final ApiSettings api;
  private final MeterRegistry meters;

  SceneQueues(Videos videos, Scenes scenes, ApiSettings api, MeterRegistry meters) {
    this.videos = videos;
    this.scenes = scenes;
    this.api = api;
    this.meters = meters;
  }

  /** The queue of the video's scenes. */
  public String queueOf(UUID videoId) {
    return queueOfTier(video(videoId).tier());
  }

  /** The queue of a tier's scenes. */
  public String queueOfTier(String tier) {
    return "free".equals(tier) ? FREE : PAID;
  }

  /** Queues again the scenes whose worker stopped renewing its lease; returns how many. */
  public int requeueAbandoned() {
    int requeued = scenes.requeueAbandoned(100, this::queueOfTier);
    meters.counter("reelflow.reconciler.actions", "kind", "scene_requeued").increment(requeued);
    return requeued;
  }

  /** The AMQP priority of the video's scenes (its tier's). */
  public int priorityOf(UUID videoId) {
    return priorityOfTier(video(videoId).tier());
  }

  /** The priority configured for {@code tier}. */
  public int priorityOfTier(String tier) {
    return api.tier(tier).priority();
  }

  private Video video(UUID videoId) {
    return videos.find(videoId).orElseThrow(() -> new UnknownVideoException(videoId));
  }
}
