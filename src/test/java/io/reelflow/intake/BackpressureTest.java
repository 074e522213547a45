package io.reelflow.intake;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackpressureTest {

  @Test
  void paidWaitIsItsBacklogOverAllSlots() {
    Backpressure.Load load = new Backpressure.Load(80, 0, 30, 8, 0.2);

    assertThat(load.waitOf(false)).isEqualTo(Duration.ofSeconds(300));
  }

  @Test
  void theFreeTierCountsOnItsFloorShareWhilePaidWorkWaits() {
    Backpressure.Load busy = new Backpressure.Load(10, 20, 30, 8, 0.2);
    Backpressure.Load quiet = new Backpressure.Load(0, 20, 30, 8, 0.2);

    assertThat(busy.waitOf(true)).as("20 scenes on ceil(0.2 x 8) = 2 slots").isEqualTo(Duration.ofSeconds(300));
    assertThat(quiet.waitOf(true)).as("20 scenes on all 8 slots").isEqualTo(Duration.ofSeconds(75));
  }

  @Test
  void noSlotsAtAllStillGivesAFiniteEstimate() {
    assertThat(new Backpressure.Load(5, 0, 10, 0, 0.2).waitOf(false)).isEqualTo(Duration.ofSeconds(50));
  }
}
