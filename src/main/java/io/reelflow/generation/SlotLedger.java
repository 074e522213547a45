package io.reelflow.generation;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Provider slots in PostgreSQL, shared by every instance: capacity per provider ({@code
 * provider_capacity}, else the configured default) and one lease row per call in flight ({@code
 * provider_slot_leases}). Taking a slot is serialised per provider with an advisory lock, so the
 * number of leases never passes the capacity, whatever the number of instances.
 */
@Component
class SlotLedger {

  private final JdbcClient jdbc;

  SlotLedger(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** Capacity, in-flight calls and the free tier's share of them; expired leases do not count. */
  ProviderSlots.Usage usage(String provider, int configured) {
    return jdbc.sql(
            """
            select coalesce((select slots from provider_capacity where provider = :p), :configured) as capacity,
                   count(*) as in_flight, count(*) filter (where free_tier) as free_in_flight
              from provider_slot_leases where provider = :p and expires_at > now()
            """)
        .param("p", provider)
        .param("configured", configured)
        .query((rs, n) -> new ProviderSlots.Usage(rs.getInt("capacity"), rs.getInt("in_flight"), rs.getInt("free_in_flight")))
        .single();
  }

  /**
   * Takes slots of {@code provider} for the requests in the order {@code order} gives them (it is
   * told the usage first), until the provider is full; a request whose user already has {@code
   * perUserScenes} other scenes holding slots is passed over, and a request whose holder still has
   * a lease (its scene was taken over from a worker that died) gets that slot back. One
   * transaction with two reads of the leases, serialised per provider by an advisory lock, so the count never passes the capacity on any number of
   * instances. Taking a slot a holder already has renews it.
   *
   * @return the holders that got a slot
   */
  @Transactional
  Set<String> takeInOrder(String provider, int configured, Function<ProviderSlots.Usage, List<ProviderSlots.Request>> order,
      String owner, int leaseSeconds, int perUserScenes) {
    // Leases are soft state that expires; the provider job row, committed before any call, makes
    // them durable with it (see Scenes.claim), so this lock is not held through a WAL flush.
    jdbc.sql("set local synchronous_commit = off").update();
    jdbc.sql("select pg_advisory_xact_lock(hashtext('reelflow.slots'), hashtext(?))").param(provider).query().listOfRows();
    jdbc.sql("delete from provider_slot_leases where provider = ? and expires_at <= now()").param(provider).update();
    ProviderSlots.Usage usage = usage(provider, configured);
    List<ProviderSlots.Request> ordered = order.apply(usage);
    Set<String> held = new HashSet<>(
        jdbc.sql("select holder from provider_slot_leases where provider = ?").param(provider).query(String.class).list());
    int free = usage.capacity() - usage.inFlight();
    if (free <= 0 && ordered.stream().noneMatch(r -> held.contains(r.holder()))) {
      return Set.of();
    }
    List<String> users = ordered.stream().map(ProviderSlots.Request::userId).distinct().sorted().toList();
    // Users are locked in one sorted order, so two providers' dispatches cannot deadlock.
    users.forEach(user -> jdbc.sql("select pg_advisory_xact_lock(hashtext('reelflow.user-slots'), hashtext(?))")
        .param(user).query().listOfRows());
    Map<String, Set<UUID>> scenesOfUser = scenesHoldingSlots(users);
    Set<String> granted = new HashSet<>();
    int taken = 0;
    for (ProviderSlots.Request request : ordered) {
      // A scene taken over from a dead worker inherits the slot that worker held for it.
      boolean inherited = held.contains(request.holder());
      Set<UUID> userScenes = scenesOfUser.computeIfAbsent(request.userId(), u -> new HashSet<>());
      long otherScenes = userScenes.stream().filter(s -> !s.equals(request.sceneId())).count();
      if (!inherited && (taken >= free || otherScenes >= perUserScenes)) {
        continue;
      }
      taken += inherited ? 0 : 1;
      jdbc.sql(
              """
              insert into provider_slot_leases (provider, holder, scene_id, user_id, free_tier, owner, expires_at)
              values (?, ?, ?, ?, ?, ?, now() + make_interval(secs => ?))
              on conflict (provider, holder) do update set owner = excluded.owner, expires_at = excluded.expires_at
              """)
          .params(provider, request.holder(), request.sceneId(), request.userId(), request.freeTier(), owner,
              leaseSeconds)
          .update();
      userScenes.add(request.sceneId());
      granted.add(request.holder());
    }
    return granted;
  }

  /** The scenes of each of {@code users} that hold a slot of any provider now. */
  private Map<String, Set<UUID>> scenesHoldingSlots(List<String> users) {
    Map<String, Set<UUID>> scenes = new HashMap<>();
    jdbc.sql("select user_id, scene_id from provider_slot_leases where user_id in (:users) and expires_at > now()")
        .param("users", users)
        .query((rs, n) -> scenes.computeIfAbsent(rs.getString("user_id"), u -> new HashSet<>())
            .add(rs.getObject("scene_id", UUID.class)))
        .list();
    return scenes;
  }

  /** Extends a held slot; false when it was lost (its lease ran out and someone took it). */
  boolean renew(String provider, String holder, int leaseSeconds) {
    return jdbc.sql("update provider_slot_leases set expires_at = now() + make_interval(secs => ?)"
                + " where provider = ? and holder = ?")
            .params(leaseSeconds, provider, holder)
            .update() == 1;
  }

  void release(String provider, String holder) {
    jdbc.sql("delete from provider_slot_leases where provider = ? and holder = ?").params(provider, holder).update();
  }

  /** Sets a provider's capacity for every instance, effective at their next slot decision. */
  void setCapacity(String provider, int slots) {
    jdbc.sql("insert into provider_capacity (provider, slots) values (?, ?)"
            + " on conflict (provider) do update set slots = excluded.slots, updated_at = now()")
        .params(provider, slots)
        .update();
  }
}
