package io.reelflow.generation;

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

  /** Outcome of one attempt to take a slot. */
  enum Grant { GRANTED, FULL, USER_AT_CAP }

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
   * Takes a slot of {@code provider} for {@code holder} when one is free and the user has fewer
   * than {@code perUserScenes} other scenes holding slots. Taking a slot the holder already has
   * renews it.
   */
  @Transactional
  Grant take(String provider, int configured, ProviderSlots.Request request, String owner, int leaseSeconds, int perUserScenes) {
    jdbc.sql("select pg_advisory_xact_lock(hashtext('reelflow.slots'), hashtext(?))").param(provider).query().listOfRows();
    jdbc.sql("delete from provider_slot_leases where provider = ? and expires_at <= now()").param(provider).update();
    ProviderSlots.Usage usage = usage(provider, configured);
    if (usage.inFlight() >= usage.capacity()) {
      return Grant.FULL;
    }
    jdbc.sql("select pg_advisory_xact_lock(hashtext('reelflow.user-slots'), hashtext(?))")
        .param(request.userId())
        .query()
        .listOfRows();
    int otherScenes =
        jdbc.sql("select count(distinct scene_id) from provider_slot_leases"
                + " where user_id = ? and scene_id <> ? and expires_at > now()")
            .params(request.userId(), request.sceneId())
            .query(Integer.class)
            .single();
    if (otherScenes >= perUserScenes) {
      return Grant.USER_AT_CAP;
    }
    jdbc.sql(
            """
            insert into provider_slot_leases (provider, holder, scene_id, user_id, free_tier, owner, expires_at)
            values (?, ?, ?, ?, ?, ?, now() + make_interval(secs => ?))
            on conflict (provider, holder) do update set owner = excluded.owner, expires_at = excluded.expires_at
            """)
        .params(provider, request.holder(), request.sceneId(), request.userId(), request.freeTier(), owner, leaseSeconds)
        .update();
    return Grant.GRANTED;
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
