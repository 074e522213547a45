package io.reelflow.generation;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/**
 * Where the slots of a provider are counted ({@link ProviderSlots} asks, per provider): in
 * PostgreSQL over every instance for a remote provider, whose capacity is the backend's
 * ({@link SlotLedger}), or in this instance's memory for a local tool, whose capacity is this
 * machine's ({@link LocalSlotCounts}).
 */
interface SlotCounts {

  /** Capacity, in-flight calls and the free tier's share of them. */
  ProviderSlots.Usage usage(String provider, int configured);

  /**
   * Takes slots of {@code provider} for the requests in the order {@code order} gives them (told
   * the usage first), until the provider is full; a request whose user already has {@code
   * perUserScenes} other scenes holding slots is passed over. Taking a slot a holder already has
   * renews it.
   *
   * @return the holders that got a slot
   */
  Set<String> takeInOrder(String provider, int configured, Function<ProviderSlots.Usage, List<ProviderSlots.Request>> order,
      String owner, int leaseSeconds, int perUserScenes);

  /** Extends a held slot; false when it was lost. */
  boolean renew(String provider, String holder, int leaseSeconds);

  void release(String provider, String holder);

  /** Sets a provider's capacity for every instance, effective at their next slot decision. */
  void setCapacity(String provider, int slots);

  /**
   * The grant rule both counts apply, in {@code ordered}'s order: a request whose holder already
   * holds a slot ({@code held}) keeps it; any other takes one of the {@code free} slots unless its
   * user already has {@code perUserScenes} other scenes holding slots ({@code scenesOfUser}, which
   * each grant extends).
   *
   * @return the requests granted, in order
   */
  static List<ProviderSlots.Request> grant(List<ProviderSlots.Request> ordered, int free, Set<String> held,
      Map<String, Set<UUID>> scenesOfUser, int perUserScenes) {
    List<ProviderSlots.Request> grants = new ArrayList<>();
    int taken = 0;
    for (ProviderSlots.Request request : ordered) {
      boolean holds = held.contains(request.holder());
      Set<UUID> userScenes = scenesOfUser.computeIfAbsent(request.userId(), u -> new HashSet<>());
      long otherScenes = userScenes.stream().filter(s -> !s.equals(request.sceneId())).count();
      if (!holds && (taken >= free || otherScenes >= perUserScenes)) {
        continue;
      }
      taken += holds ? 0 : 1;
      userScenes.add(request.sceneId());
      grants.add(request);
    }
    return grants;
  }
}
