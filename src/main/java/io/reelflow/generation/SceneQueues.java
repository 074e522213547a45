package io.reelflow.generation;

import io.micrometer.core.instrument.MeterRegistry;
import io.reelflow.intake.ApiSettings;
import io.reelflow.video.SceneQueue;
import io.reelflow.video.Scenes;
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

  private final Scenes scenes;
  private final ApiSettings api;
  private final MeterRegistry meters;

  SceneQueues(Scenes scenes, ApiSettings api, MeterRegistry meters) {
    this.scenes = scenes;
    this.api = api;
    this.meters = meters;
  }

  /** The queue of a tier's scenes and the priority they carry there. */
  public SceneQueue ofTier(String tier) {
    return new SceneQueue(queueOfTier(tier), priorityOfTier(tier));
  }

  /** The queue of a tier's scenes. */
  public String queueOfTier(String tier) {
    return "free".equals(tier) ? FREE : PAID;
  }

  /** Queues again the scenes whose worker stopped renewing its lease; returns how many. */
  public int requeueAbandoned() {
    int requeued = scenes.requeueAbandoned(100, this::ofTier);
    meters.counter("reelflow.reconciler.actions", "kind", "scene_requeued").increment(requeued);
    return requeued;
  }

  /** The priority configured for {@code tier}. */
  public int priorityOfTier(String tier) {
    return api.tier(tier).priority();
  }
}
