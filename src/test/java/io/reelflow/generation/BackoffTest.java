package io.reelflow.generation;

import static org.assertj.core.api.Assertions.assertThat;

import io.reelflow.provider.ProviderSettings;
import java.time.Duration;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

class BackoffTest {

  static final Backoff BACKOFF =
      new Backoff(new ProviderSettings.Retry(3, Duration.ofSeconds(1), Duration.ofSeconds(60), 2.0, 0.3));

  @RepeatedTest(50)
  void growsExponentiallyWithJitterTakenOff() {
    assertThat(BACKOFF.delay(0, null).toMillis()).isBetween(700L, 1000L);
    assertThat(BACKOFF.delay(1, null).toMillis()).isBetween(1400L, 2000L);
    assertThat(BACKOFF.delay(3, null).toMillis()).isBetween(5600L, 8000L);
  }

  @Test
  void neverWaitsLessThanTheProviderAskedNorLongerThanTheMaximum() {
    assertThat(BACKOFF.delay(0, Duration.ofSeconds(5))).isEqualTo(Duration.ofSeconds(5));
    assertThat(BACKOFF.delay(0, Duration.ofHours(1))).isEqualTo(Duration.ofSeconds(60));
    assertThat(BACKOFF.delay(20, null)).isLessThanOrEqualTo(Duration.ofSeconds(60));
  }
}
