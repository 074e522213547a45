package io.reelflow.generation;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.reelflow.provider.Capability;
import io.reelflow.video.SceneJob;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * Visuals go first. A plan's scenes are claimed together; each needs its visual from a
 * capacity-limited provider, the long pole of a video, and a voice-over (the first scene also the
 * music bed), which take this machine's CPU for a second or two. Started side by side, the voice-overs'
 * job rows and process starts compete for the same cores with the dispatch of the visuals. So a
 * scene's voice-over and music wait here until no scene claimed by this instance is still on its
 * way to its visual provider, for at most {@code reelflow.generation.visuals-first-wait}: a visual
 * is on its way from its claim until its provider job is started (or resumed), or until it waits
 * for a slot or for a circuit to close, or its exchange ends. A scene on its way for longer than the
 * bound no longer holds anyone up, so a claim whose end went unseen cannot slow every later voice-over.
 *
 * <p>A video loses nothing by it: its composition waits for every visual anyway, and a visual
 * takes longer than the wait.
 */
@Component("visualsFirst")
public class VisualsFirst {

  /** Scene id to when it was claimed ({@link System#nanoTime}). */
  private final Map<UUID, Long> onTheirWay = new ConcurrentHashMap<>();
  private final Object quiet = new Object();
  private final Duration maxWait;
  private final Timer waits;

  VisualsFirst(GenerationSettings settings, MeterRegistry meters) {
    this.maxWait = settings.visualsFirstWait();
    this.waits = Timer.builder("reelflow.generation.visuals.first.wait")
        .description("How long a scene's voice-over or music waited for this instance's visuals to be dispatched")
        .publishPercentileHistogram()
        .register(meters);
  }

  /** A claimed scene whose visual is still to be made is on its way to its provider. */
  void claimed(SceneJob scene) {
    onTheirWay.put(scene.sceneId(), System.nanoTime());
  }

  /**
   * The scene's visual is no longer on its way: started, waiting for a slot or a circuit, or its
   * exchange ended (route configuration {@code scene-lease}), whatever happened to it.
   */
  public void settled(UUID sceneId) {
    if (onTheirWay.remove(sceneId) != null && !anyOnTheirWay(System.nanoTime())) {
      synchronized (quiet) {
        quiet.notifyAll();
      }
    }
  }

  /** {@link #settled} when {@code capability} is the visual; the others are not waited for. */
  void settled(SceneJob scene, Capability capability) {
    if (capability == Capability.VISUAL) {
      settled(scene.sceneId());
    }
  }

  /**
   * Waits until no visual of this instance is on its way (a scene's own among them), or the wait's
   * bound. Route step of the voice-over and music branches.
   */
  public void await() throws InterruptedException {
    long start = System.nanoTime();
    if (maxWait.isZero() || !anyOnTheirWay(start)) {
      return;
    }
    long deadline = start + maxWait.toNanos();
    synchronized (quiet) {
      long now;
      while (anyOnTheirWay(now = System.nanoTime()) && now < deadline) {
        quiet.wait(Math.max(1, (deadline - now) / 1_000_000));
      }
    }
    waits.record(Duration.ofNanos(System.nanoTime() - start));
  }

  /**
   * Whether a visual claimed within the bound is still on its way; older entries (a claim whose end
   * went unseen) are dropped here, so they neither hold a voice-over nor keep a settle from waking one.
   */
  private boolean anyOnTheirWay(long now) {
    long since = now - maxWait.toNanos();
    onTheirWay.values().removeIf(claimedAt -> claimedAt - since <= 0);
    return !onTheirWay.isEmpty();
  }

  /** Scenes of this instance whose visual is on its way now (an unseen end until it is dropped). */
  int onTheirWay() {
    return onTheirWay.size();
  }
}
