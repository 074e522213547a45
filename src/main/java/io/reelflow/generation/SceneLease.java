package io.reelflow.generation;

import io.reelflow.video.SceneJob;
import io.reelflow.video.Scenes;
import java.time.Duration;
import org.springframework.stereotype.Component;

/** A worker's hold on the scene it generates: waits that keep renewing it, and fail once it is lost. */
@Component
class SceneLease {

  private final Scenes scenes;
  private final GenerationSettings generation;

  SceneLease(Scenes scenes, GenerationSettings generation) {
    this.scenes = scenes;
    this.generation = generation;
  }

  /** Renews the scene's lease; false when the scene is no longer this worker's (or its video stopped). */
  boolean renew(SceneJob scene) {
    return scenes.renewLease(scene.sceneId(), SceneWork.WORKER_ID, generation.leaseSeconds());
  }

  /** Sleeps, then checks that the scene is still this worker's; renews its lease. */
  void pause(SceneJob scene, Duration delay) {
    try {
      Thread.sleep(Math.max(0, delay.toMillis()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SceneAbandoned("interrupted while waiting");
    }
    if (!renew(scene)) {
      throw new SceneAbandoned("scene " + scene.sceneId() + " is no longer held by this worker");
    }
  }
}
