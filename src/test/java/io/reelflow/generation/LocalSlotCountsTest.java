package io.reelflow.generation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LocalSlotCountsTest {

  /** The shared capacity setting, without PostgreSQL: what operators set, counted when read. */
  private static final class Settings extends SlotLedger {
    Integer set;
    final AtomicInteger reads = new AtomicInteger();

    Settings() {
      super(null, null);
    }

    @Override
    int capacity(String provider, int configured) {
      reads.incrementAndGet();
      return set != null ? set : configured;
    }

    @Override
    public void setCapacity(String provider, int slots) {
      set = slots;
    }
  }

  private final Settings settings = new Settings();
  private final AtomicLong now = new AtomicLong();
  private final LocalSlotCounts counts = new LocalSlotCounts(settings, now::get);

  private static ProviderSlots.Request request(String holder, String user, boolean free, int priority) {
    return new ProviderSlots.Request(holder, UUID.nameUUIDFromBytes(holder.getBytes()), user, free, priority);
  }

  private Set<String> take(String provider, int configured, int perUser, ProviderSlots.Request... requests) {
    return counts.takeInOrder(provider, configured, usage -> List.of(requests).stream()
        .sorted(Comparator.comparingInt(r -> -r.priority())).toList(), "me", 60, perUser);
  }

  @Test
  void grantsUpToTheCapacityInTheGivenOrderAndAReleaseMakesRoom() {
    Set<String> granted = take("local-espeak", 2, 10,
        request("a", "u1", false, 1), request("b", "u2", false, 8), request("c", "u3", false, 5));

    assertThat(granted).containsExactlyInAnyOrder("b", "c");
    assertThat(counts.usage("local-espeak", 2)).isEqualTo(new ProviderSlots.Usage(2, 2, 0));
    assertThat(take("local-espeak", 2, 10, request("a", "u1", false, 1))).as("full").isEmpty();

    counts.release("local-espeak", "b");

    assertThat(counts.renew("local-espeak", "b", 60)).as("given back").isFalse();
    assertThat(counts.renew("local-espeak", "c", 60)).isTrue();
    assertThat(take("local-espeak", 2, 10, request("a", "u1", false, 1))).containsExactly("a");
  }

  @Test
  void aHolderAskingAgainKeepsItsOneSlot() {
    take("local-ffmpeg", 1, 10, request("a", "u1", false, 1));

    assertThat(take("local-ffmpeg", 1, 10, request("a", "u1", false, 1))).containsExactly("a");
    assertThat(counts.usage("local-ffmpeg", 1).inFlight()).isEqualTo(1);
  }

  @Test
  void aUserAtTheCapIsPassedOverAcrossEveryLocalTool() {
    take("local-ffmpeg", 4, 1, request("s1:visual", "heavy", false, 8));

    Set<String> granted = take("local-espeak", 4, 1,
        request("s2:speech", "heavy", false, 8), request("s3:speech", "light", false, 1));

    assertThat(granted).as("heavy's other scene holds an ffmpeg slot").containsExactly("s3:speech");
  }

  @Test
  void theFreeTiersCallsAreCountedForItsFloor() {
    take("local-espeak", 3, 10, request("f", "u1", true, 1), request("p", "u2", false, 5));

    assertThat(counts.usage("local-espeak", 3)).isEqualTo(new ProviderSlots.Usage(3, 2, 1));
  }

  @Test
  void theCapacityIsTheSharedSettingReadAtMostOnceASecondAndOwnChangesAtOnce() {
    assertThat(counts.usage("local-espeak", 2).capacity()).isEqualTo(2);
    settings.set = 5; // set by another instance
    assertThat(counts.usage("local-espeak", 2).capacity()).as("within the second").isEqualTo(2);
    int reads = settings.reads.get();

    now.addAndGet(LocalSlotCounts.CAPACITY_TTL_NANOS);

    assertThat(counts.usage("local-espeak", 2).capacity()).isEqualTo(5);
    assertThat(settings.reads.get()).isEqualTo(reads + 1);
    counts.setCapacity("local-espeak", 1);
    assertThat(counts.usage("local-espeak", 2).capacity()).as("set here").isEqualTo(1);
  }
}
