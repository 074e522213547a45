package io.reelflow.generation;

import io.reelflow.video.SceneJob;
import io.reelflow.video.Scenes;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * A worker's hold on the scene it generates. Every claim this instance holds is renewed in one
 * statement by the {@code maintenance-renew-scene-leases} timer, so a live worker keeps its
 * scene through a long transcode or upload, and a lease runs out only when its instance stops
 * (a crash, a kill, a frozen machine). Waits also check the lease, and fail once it is lost.
 */
@Component
public class SceneLease {

  private final Scenes scenes;
  private final GenerationSettings generation;
  private final Set<String> held = ConcurrentHashMap.newKeySet();

  SceneLease(Scenes scenes, GenerationSettings generation) {
    this.scenes = scenes;
    this.generation = generation;
  }

  /** Starts renewing the claim's lease in the background. */
  void hold(SceneJob scene) {
    held.add(scene.leaseOwner());
  }

  /** Stops renewing the claim's lease (its exchange completed or failed); null is ignored. */
  public void release(SceneJob scene) {
    if (scene != null) {
      held.remove(scene.leaseOwner());
    }
  }

  /**
   * Renews every held claim's lease in one statement; claims no longer held in the database
   * (finished, canceled, taken over) are dropped.
   *
   * @return how many leases were renewed
   */
  public int renewHeld() {
    if (held.isEmpty()) {
      return 0;
    }
    List<String> asked = List.copyOf(held);
    Set<String> renewed = scenes.renewLeases(asked, generation.leaseSeconds());
    asked.stream().filter(owner -> !renewed.contains(owner)).forEach(held::remove);
    return renewed.size();
  }

  /** Whether the scene is still this worker's (and its video still generating); its lease is renewed apart. */
  boolean holds(SceneJob scene) {
    return scenes.holds(scene.sceneId(), scene.leaseOwner());
  }

  /** Sleeps, then checks that the scene is still this worker's. */
  void pause(SceneJob scene, Duration delay) {
    try {
      Thread.sleep(Math.max(0, delay.toMillis()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SceneAbandoned("interrupted while waiting");
    }
    if (!holds(scene)) {
      throw new SceneAbandoned("scene " + scene.sceneId() + " is no longer held by this worker");
    }
  }
}
