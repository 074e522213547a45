package io.reelflow.generation;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.Random;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The A/B split over 1,000 simulated scenes, its stability, and the budget guard. */
class RolloutsTest {

  @Test
  void aTwentyPercentShareSendsAboutOneSceneInFiveToTheCandidate() {
    Random random = new Random(7);
    long chosen = IntStream.range(0, 1000)
        .mapToObj(i -> new UUID(random.nextLong(), random.nextLong()))
        .filter(id -> Rollouts.inArm(id, 0.2))
        .count();

    assertThat(chosen).as("candidate scenes of 1,000").isBetween(170L, 230L);
  }

  @Test
  void aSceneStaysInItsArmAndTheEdgesHold() {
    UUID scene = UUID.randomUUID();
    boolean first = Rollouts.inArm(scene, 0.5);

    assertThat(IntStream.range(0, 10).mapToObj(i -> Rollouts.inArm(scene, 0.5))).containsOnly(first);
    assertThat(Rollouts.inArm(scene, 0.0)).isFalse();
    assertThat(Rollouts.inArm(scene, 1.0)).isTrue();
  }

  @Test
  void theCandidateStopsOnceItsDailySpendReachesItsBudget() {
    assertThat(Rollouts.withinBudget(new BigDecimal("4.99"), new BigDecimal("5.00"))).isTrue();
    assertThat(Rollouts.withinBudget(new BigDecimal("5.00"), new BigDecimal("5.00"))).isFalse();
    assertThat(Rollouts.withinBudget(new BigDecimal("900"), null)).as("no budget").isTrue();
  }
}
