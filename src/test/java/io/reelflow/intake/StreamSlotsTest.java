package io.reelflow.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class StreamSlotsTest {

  @Test
  void theStreamBeyondTheMaximumIsTooManyAndAClosedStreamFreesItsSlot() {
    StreamSlots slots = new StreamSlots(2);
    slots.acquire();
    slots.acquire();

    assertThatThrownBy(slots::acquire).isInstanceOfSatisfying(ApiException.class, e -> {
      assertThat(e.status()).isEqualTo(503);
      assertThat(e.code()).isEqualTo("too_many_streams");
      assertThat(e.headers()).containsEntry("Retry-After", "5");
    });
    assertThat(slots.open()).isEqualTo(2);

    slots.release();
    slots.acquire();
    assertThat(slots.open()).isEqualTo(2);
  }
}
