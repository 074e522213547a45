package io.reelflow.generation;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * The slots of local tools (ffmpeg, espeak-ng), counted in this instance's memory: their capacity
 * is this machine's processors, so two worker instances run twice the calls, and a call's slot is
 * a map entry rather than a transaction in PostgreSQL. The capacity itself is the shared setting
 * ({@code provider_capacity}, which the admin endpoint sets, else the configuration), read again at
 * most once a {@link #CAPACITY_TTL_NANOS second}; it means "per instance" here. The per-user cap
 * counts the scenes of a user holding local slots on this instance. A call's slot needs no lease:
 * it ends with the call, or with the process.
 */
@Component
class LocalSlotCounts implements SlotCounts {

  static final long CAPACITY_TTL_NANOS = TimeUnit.SECONDS.toNanos(1);

  private record Holding(UUID sceneId, String userId, boolean freeTier) {}

  private record Capacity(int slots, long readAt) {}

  private final SlotLedger settings;
  private final LongSupplier clock;
  /** provider -> holder -> its holding; guarded by {@code this}. */
  private final Map<String, Map<String, Holding>> held = new HashMap<>();
  private final Map<String, Capacity> capacities = new ConcurrentHashMap<>();

  @Autowired
  LocalSlotCounts(SlotLedger settings) {
    this(settings, System::nanoTime);
  }

  LocalSlotCounts(SlotLedger settings, LongSupplier clock) {
    this.settings = settings;
    this.clock = clock;
  }

  @Override
  public ProviderSlots.Usage usage(String provider, int configured) {
    int capacity = capacity(provider, configured);
    synchronized (this) {
      return usageOf(provider, capacity);
    }
  }

  @Override
  public Set<String> takeInOrder(String provider, int configured,
      Function<ProviderSlots.Usage, List<ProviderSlots.Request>> order, String owner, int leaseSeconds,
      int perUserScenes) {
    int capacity = capacity(provider, configured);
    synchronized (this) {
      ProviderSlots.Usage usage = usageOf(provider, capacity);
      Map<String, Holding> mine = held.computeIfAbsent(provider, p -> new HashMap<>());
      Set<String> granted = new HashSet<>();
      for (ProviderSlots.Request request : SlotCounts.grant(order.apply(usage), usage.capacity() - usage.inFlight(),
          mine.keySet(), scenesOfUsers(), perUserScenes)) {
        mine.putIfAbsent(request.holder(), new Holding(request.sceneId(), request.userId(), request.freeTier()));
        granted.add(request.holder());
      }
      return granted;
    }
  }

  @Override
  public synchronized boolean renew(String provider, String holder, int leaseSeconds) {
    return held.getOrDefault(provider, Map.of()).containsKey(holder);
  }

  @Override
  public synchronized void release(String provider, String holder) {
    Map<String, Holding> mine = held.get(provider);
    if (mine != null) {
      mine.remove(holder);
    }
  }

  /** Stores the setting for every instance and uses it here at once. */
  @Override
  public void setCapacity(String provider, int slots) {
    settings.setCapacity(provider, slots);
    capacities.put(provider, new Capacity(slots, clock.getAsLong()));
  }

  private int capacity(String provider, int configured) {
    long now = clock.getAsLong();
    Capacity known = capacities.get(provider);
    if (known == null || now - known.readAt() >= CAPACITY_TTL_NANOS) {
      known = new Capacity(settings.capacity(provider, configured), now);
      capacities.put(provider, known);
    }
    return known.slots();
  }

  private ProviderSlots.Usage usageOf(String provider, int capacity) {
    Map<String, Holding> mine = held.getOrDefault(provider, Map.of());
    int free = (int) mine.values().stream().filter(Holding::freeTier).count();
    return new ProviderSlots.Usage(capacity, mine.size(), free);
  }

  /** The scenes of each user that hold a local slot of any tool on this instance. */
  private Map<String, Set<UUID>> scenesOfUsers() {
    Map<String, Set<UUID>> scenes = new HashMap<>();
    for (Map<String, Holding> holdings : held.values()) {
      for (Holding h : holdings.values()) {
        scenes.computeIfAbsent(h.userId(), u -> new HashSet<>()).add(h.sceneId());
      }
    }
    return scenes;
  }
}
