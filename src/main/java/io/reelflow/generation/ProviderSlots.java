package io.reelflow.generation;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.reelflow.provider.MediaProvider;
import io.reelflow.provider.ProviderRegistry;
import io.reelflow.provider.ProviderSettings;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import org.springframework.stereotype.Component;

/**
 * Hands out provider slots fairly. Scenes that want a slot of a provider wait here; whenever a
 * slot may have freed (a local release, a new waiter, or every {@code slot-poll} for releases by
 * other instances) the waiters are offered slots in this order, until the provider is full:
 *
 * <ol>
 *   <li>free-tier scenes, while the free tier holds fewer than its floor share of the slots, so it
 *       is never starved by paid work;
 *   <li>then by tier priority, first come first served within a priority.
 * </ol>
 *
 * A scene whose user already has {@code per-user-scenes} other scenes in flight is passed over
 * and the next one offered. A remote provider's slots are counted in PostgreSQL ({@link
 * SlotLedger}), so its capacity (the backend's GPUs) holds across instances and changes at run time
 * without a restart: lowering it only stops new grants, and the calls in flight finish. A local
 * tool's slots are this machine's and are counted in this instance's memory ({@link
 * LocalSlotCounts}): the same fair order and the same setting, but per instance, and no
 * transaction per grant.
 */
@Component
public class ProviderSlots {

  /** A slot held for one call; give it back with {@link #release}. */
  public record Lease(String provider, String holder) {}

  /**
   * Who wants a slot: one capability call of one scene.
   *
   * @param holder unique per call, e.g. {@code <scene>:visual}
   * @param priority the tier's queue priority; higher goes first
   */
  public record Request(String holder, UUID sceneId, String userId, boolean freeTier, int priority) {}

  /** A provider's slots now, over every instance. */
  public record Usage(int capacity, int inFlight, int freeInFlight) {}

  private static final long STILL_WANTED_CHECK_MS = 2000;

  private final SlotLedger ledger;
  private final LocalSlotCounts local;
  private final ProviderRegistry registry;
  private final ProviderSettings settings;
  private final MeterRegistry meters;
  private final String owner;
  private final Map<String, Gate> gates = new ConcurrentHashMap<>();
  private final AtomicLong arrivals = new AtomicLong();
  private final Map<String, Long> renewedAt = new ConcurrentHashMap<>();

  ProviderSlots(SlotLedger ledger, LocalSlotCounts local, ProviderRegistry registry, ProviderSettings settings,
      MeterRegistry meters) {
    this.ledger = ledger;
    this.local = local;
    this.registry = registry;
    this.settings = settings;
    this.meters = meters;
    this.owner = SceneWork.WORKER_ID;
  }

  /**
   * Waits for a slot of {@code provider}. Blocking; thread-safe.
   *
   * @param stillWanted asked every two seconds while waiting (the caller checks that its scene is
   *     still its own and wanted); false abandons the wait
   * @return the lease, or null when the wait was abandoned
   */
  public Lease acquire(String provider, Request request, BooleanSupplier stillWanted)
      throws InterruptedException {
    return acquire(provider, request, stillWanted, () -> { });
  }

  /**
   * {@link #acquire(String, Request, BooleanSupplier)}, telling {@code queued} (once, holding the
   * provider's lock: it must not call back here) when the request was offered slots and got none, so
   * that it waits for one to free.
   */
  public Lease acquire(String provider, Request request, BooleanSupplier stillWanted, Runnable queued)
      throws InterruptedException {
    Gate gate = gates.computeIfAbsent(provider, this::gate);
    Waiter me = new Waiter(request, arrivals.incrementAndGet());
    long pollMs = Math.max(10, settings.slotPoll().toMillis());
    long nextCheck = System.currentTimeMillis() + STILL_WANTED_CHECK_MS;
    gate.lock.lock();
    try {
      gate.waiters.add(me);
      gate.changed = true;
      boolean toldQueued = false;
      while (!me.granted) {
        if (gate.changed && !gate.dispatching) {
          dispatch(provider, gate);
          continue;
        }
        if (me.offered && !toldQueued) {
          toldQueued = true;
          queued.run();
        }
        if (System.currentTimeMillis() >= nextCheck) {
          if (!stillWanted.getAsBoolean()) {
            return null;
          }
          nextCheck = System.currentTimeMillis() + STILL_WANTED_CHECK_MS;
        }
        // One waiter (the oldest) polls for slots freed by other instances; a dispatch grants
        // every waiter that fits, and local releases wake everyone.
        boolean polling = gate.waiters.get(0) == me;
        gate.signal.await(polling ? pollMs : STILL_WANTED_CHECK_MS, TimeUnit.MILLISECONDS);
        gate.changed |= polling;
      }
      return new Lease(provider, request.holder());
    } finally {
      boolean wasPolling = !gate.waiters.isEmpty() && gate.waiters.get(0) == me;
      gate.waiters.remove(me);
      if (wasPolling) {
        gate.signal.signalAll();
      }
      gate.lock.unlock();
    }
  }

  /**
   * Extends a lease while a long call runs; false when the slot was lost. Called on every poll of
   * the call, it writes only once a tenth of the lease has passed since the grant or the last
   * renewal: a write per poll of every call in flight would be a commit to flush each time.
   */
  public boolean renew(Lease lease) {
    long now = System.nanoTime();
    Long last = renewedAt.get(lease.holder());
    if (last != null && now - last < settings.slotLease().toNanos() / 10) {
      return true;
    }
    boolean held = counts(lease.provider()).renew(lease.provider(), lease.holder(), leaseSeconds());
    if (held) {
      renewedAt.put(lease.holder(), now);
    }
    return held;
  }

  /** Gives a slot back and wakes the scenes waiting for it; idempotent. */
  public void release(Lease lease) {
    if (lease == null) {
      return;
    }
    renewedAt.remove(lease.holder());
    counts(lease.provider()).release(lease.provider(), lease.holder());
    Gate gate = gates.get(lease.provider());
    if (gate != null) {
      gate.wake();
    }
  }

  /** Capacity and use of {@code provider} now: over every instance, or this one's for a local tool. */
  public Usage usage(String provider) {
    return counts(provider).usage(provider, settings.slotsOf(provider));
  }

  /** Scenes waiting on this instance for a slot of {@code provider}. */
  public int waiting(String provider) {
    Gate gate = gates.get(provider);
    return gate == null ? 0 : gate.waiters.size();
  }

  /**
   * Sets the slots of {@code provider} for every instance (for a local tool: the slots each
   * instance has, seen by the others within a second); waiting scenes see it at once here.
   */
  public void setCapacity(String provider, int slots) {
    counts(provider).setCapacity(provider, slots);
    gates.computeIfAbsent(provider, this::gate).wake();
  }

  /**
   * Offers slots to the waiters in fair order until the provider is full, in one transaction. Called
   * holding the gate's lock; lets it go for the transaction, so the scenes that arrive meanwhile
   * queue up for the next dispatch, which offers to all of them at once, instead of each waiting
   * for a transaction of its own.
   */
  private void dispatch(String provider, Gate gate) {
    gate.changed = false;
    List<Waiter> candidates = gate.waiters.stream().filter(w -> !w.granted).toList();
    if (candidates.isEmpty()) {
      return;
    }
    gate.dispatching = true;
    Set<String> granted = Set.of();
    boolean done = false;
    gate.lock.unlock();
    try {
      granted = counts(provider).takeInOrder(provider, settings.slotsOf(provider), usage -> fairOrder(candidates, usage),
          owner, leaseSeconds(), settings.perUserScenes());
      done = true;
      DistributionSummary.builder("reelflow.provider.slots.offered")
          .description("Scenes offered slots per grant transaction (its count is the number of transactions)")
          .tag("provider", provider)
          .register(meters)
          .record(candidates.size());
    } finally {
      gate.lock.lock();
      gate.dispatching = false;
      gate.changed |= !done;
      long now = System.nanoTime();
      for (Waiter waiter : candidates) {
        waiter.offered |= done;
        if (granted.contains(waiter.request.holder())) {
          renewedAt.put(waiter.request.holder(), now);
          waiter.granted = true;
        }
      }
      gate.signal.signalAll();
    }
  }

  /** Where {@code provider}'s slots are counted: this instance for a local tool, else PostgreSQL. */
  private SlotCounts counts(String provider) {
    MediaProvider named = registry.named(provider);
    return named != null && named.local() ? local : ledger;
  }

  /** Free-tier scenes first while the free tier is under its floor, then by priority, then by arrival. */
  private List<Request> fairOrder(List<Waiter> candidates, Usage usage) {
    int floor = (int) Math.ceil(settings.freeFloorShare() * usage.capacity());
    boolean freeFirst = usage.freeInFlight() < floor;
    List<Waiter> order = new ArrayList<>(candidates);
    order.sort(Comparator.comparing((Waiter w) -> !(freeFirst && w.request.freeTier()))
        .thenComparing(w -> -w.request.priority())
        .thenComparingLong(w -> w.arrival));
    return order.stream().map(w -> w.request).toList();
  }

  private int leaseSeconds() {
    return (int) Math.max(1, settings.slotLease().toSeconds());
  }

  private Gate gate(String provider) {
    Gate gate = new Gate();
    Gauge.builder("reelflow.provider.slots.waiting", gate.waiters, List::size)
        .description("Scenes waiting on this instance for a slot of the provider")
        .tag("provider", provider)
        .register(meters);
    return gate;
  }

  /**
   * The scenes waiting on this instance for one provider. {@code changed} says whether a dispatch
   * may grant something new (a waiter arrived, a slot was released or the capacity changed here, or
   * the poller's timer ran out for releases elsewhere), so that the waiters woken together do not
   * each run the same dispatch; {@code dispatching}, that one is running (outside the lock).
   */
  private static final class Gate {
    final ReentrantLock lock = new ReentrantLock();
    final Condition signal = lock.newCondition();
    final List<Waiter> waiters = new ArrayList<>();
    boolean changed;
    boolean dispatching;

    void wake() {
      lock.lock();
      try {
        changed = true;
        signal.signalAll();
      } finally {
        lock.unlock();
      }
    }
  }

  private static final class Waiter {
    final Request request;
    final long arrival;
    boolean granted;
    boolean offered;

    Waiter(Request request, long arrival) {
      this.request = request;
      this.arrival = arrival;
    }
  }
}
