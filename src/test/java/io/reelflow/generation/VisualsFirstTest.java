package io.reelflow.generation;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.reelflow.video.SceneJob;
import io.reelflow.video.VideoOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class VisualsFirstTest {

  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

  @Test
  void aVoiceOverWaitsUntilEveryVisualOnItsWayHasSettled() throws Exception {
    VisualsFirst gate = gate(Duration.ofSeconds(30));
    SceneJob first = scene();
    SceneJob second = scene();
    gate.claimed(first);
    gate.claimed(second);

    CompletableFuture<Void> voiceOver = CompletableFuture.runAsync(() -> await(gate));
    Thread.sleep(100);
    assertThat(voiceOver).as("both visuals still on their way").isNotDone();

    gate.settled(first.sceneId());
    Thread.sleep(100);
    assertThat(voiceOver).as("its own visual settled, another's not").isNotDone();

    gate.settled(second.sceneId());
    voiceOver.get(5, TimeUnit.SECONDS);
    assertThat(gate.onTheirWay()).isZero();
    assertThat(meters.get("reelflow.generation.visuals.first.wait").timer().count()).isEqualTo(1);
  }

  @Test
  void theWaitIsBoundedAndAForgottenSceneNoLongerHoldsAnyone() throws Exception {
    VisualsFirst gate = gate(Duration.ofMillis(200));
    SceneJob stuck = scene();
    gate.claimed(stuck);

    long start = System.nanoTime();
    gate.await();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).as("gave up at its bound")
        .isGreaterThanOrEqualTo(Duration.ofMillis(190));

    gate.await();
    assertThat(meters.get("reelflow.generation.visuals.first.wait").timer().count())
        .as("a scene on its way for longer than the bound no longer holds anyone up: no second wait").isEqualTo(1);

    gate.settled(stuck.sceneId());
    assertThat(gate.onTheirWay()).isZero();
    CompletableFuture.runAsync(() -> await(gate)).get(5, TimeUnit.SECONDS);
  }

  @Test
  void aStaleSceneDoesNotKeepASettleFromWakingTheVoiceOvers() throws Exception {
    VisualsFirst gate = gate(Duration.ofSeconds(1));
    gate.claimed(scene()); // its end never seen
    Thread.sleep(1050);
    SceneJob live = scene();
    gate.claimed(live);
    CompletableFuture<Void> voiceOver = CompletableFuture.runAsync(() -> await(gate));
    Thread.sleep(50);
    assertThat(voiceOver).as("the live visual is on its way").isNotDone();

    gate.settled(live.sceneId());
    voiceOver.get(5, TimeUnit.SECONDS);
    assertThat(gate.onTheirWay()).as("the stale one was dropped").isZero();
    assertThat(meters.get("reelflow.generation.visuals.first.wait").timer().totalTime(TimeUnit.MILLISECONDS))
        .as("woken by the settle, not by the bound").isLessThan(800);
  }

  @Test
  void settlingTwiceOrWithoutAClaimChangesNothing() {
    VisualsFirst gate = gate(Duration.ofSeconds(1));
    SceneJob scene = scene();
    gate.settled(scene.sceneId());
    gate.claimed(scene);
    gate.claimed(scene());
    gate.settled(scene.sceneId());
    gate.settled(scene.sceneId());
    assertThat(gate.onTheirWay()).isEqualTo(1);
  }

  private VisualsFirst gate(Duration maxWait) {
    return new VisualsFirst(new GenerationSettings(8, 300, "data/work", null, maxWait), meters);
  }

  private static void await(VisualsFirst gate) {
    try {
      gate.await();
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  private static SceneJob scene() {
    return new SceneJob(UUID.randomUUID(), UUID.randomUUID(), 0, 2, "headline", "shot", "script", 5000,
        new VideoOptions(10, "16:9", "720p"), "u", "pro", Instant.now(), "test@local/claim", Set.of());
  }
}
