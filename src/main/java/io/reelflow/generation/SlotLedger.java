package io.reelflow.generation;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import io.reelflow.video.Vacuums;
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
class SlotLedger implements SlotCounts {

  private final JdbcClient jdbc;
  private final Vacuums vacuums;

  SlotLedger(JdbcClient jdbc, Vacuums vacuums) {
    this.jdbc = jdbc;
    this.vacuums = vacuums;
  }

  /** What operators set for provider :p ({@code provider_capacity}), else :configured. */
  private static final String CAPACITY = "coalesce((select slots from provider_capacity where provider = :p), :configured)";

  /**
   * Capacity, in-flight calls, the free tier's share of them and their holders, over the live
   * leases a query names {@code live} (columns holder, free_tier); parameters :p and :configured.
   */
  private static final String USAGE = "select " + CAPACITY + " as capacity,"
      + """
             (select count(*) from live) as in_flight, (select count(*) from live where free_tier) as free_in_flight,
             (select coalesce(array_agg(holder), '{}') from live) as holders
      """;

  private static final String LIVE =
      "live as (select holder, free_tier from provider_slot_leases where provider = :p and expires_at > now())";

  /** Capacity, in-flight calls and the free tier's share of them; expired leases do not count. */
  @Override
  public ProviderSlots.Usage usage(String provider, int configured) {
    return usage("with " + LIVE + USAGE, provider, configured, new HashSet<>());
  }

  private ProviderSlots.Usage usage(String sql, String provider, int configured, Set<String> holders) {
    return jdbc.sql(sql)
        .param("p", provider)
        .param("configured", configured)
        .query((rs, n) -> {
          holders.addAll(List.of((String[]) rs.getArray("holders").getArray()));
          return new ProviderSlots.Usage(rs.getInt("capacity"), rs.getInt("in_flight"), rs.getInt("free_in_flight"));
        })
        .single();
  }

  /**
   * Takes slots of {@code provider} for the requests in the order {@code order} gives them (it is
   * told the usage first), until the provider is full; a request whose user already has {@code
   * perUserScenes} other scenes holding slots is passed over, and a request whose holder still has
   * a lease (its scene was taken over from a worker that died) gets that slot back. One
   * transaction, serialised per provider by an advisory lock, so the count never passes the
   * capacity on any number of instances; a fixed handful of statements whatever the number of
   * requests, since a burst of scenes waits for it. Taking a slot a holder already has renews it.
   *
   * @return the holders that got a slot
   */
  @Override
  @Transactional
  public Set<String> takeInOrder(String provider, int configured, Function<ProviderSlots.Usage, List<ProviderSlots.Request>> order,
      String owner, int leaseSeconds, int perUserScenes) {
    // Leases are soft state that expires; the provider job row, committed before any call, makes
    // them durable with it (see Scenes.claim), so this lock is not held through a WAL flush.
    jdbc.sql("select set_config('synchronous_commit', 'off', true),"
            + " pg_advisory_xact_lock(hashtext('reelflow.slots'), hashtext(?))")
        .param(provider).query().listOfRows();
    Set<String> held = new HashSet<>();
    ProviderSlots.Usage usage = usage("with expired as (delete from provider_slot_leases where provider = :p"
        + " and expires_at <= now()), " + LIVE + USAGE, provider, configured, held);
    List<ProviderSlots.Request> ordered = order.apply(usage);
    int free = usage.capacity() - usage.inFlight();
    if (free <= 0 && ordered.stream().noneMatch(r -> held.contains(r.holder()))) {
      return Set.of();
    }
    String[] users = ordered.stream().map(ProviderSlots.Request::userId).distinct().sorted().toArray(String[]::new);
    // Users are locked in one sorted order, so two providers' dispatches cannot deadlock.
    jdbc.sql("select count(pg_advisory_xact_lock(hashtext('reelflow.user-slots'), hashtext(u)))"
            + " from (select u from unnest(cast(? as text[])) u order by u) sorted")
        .param(users).query().listOfRows();
    // A scene taken over from a dead worker inherits the slot that worker held for it.
    List<ProviderSlots.Request> grants = SlotCounts.grant(ordered, free, held, scenesHoldingSlots(users), perUserScenes);
    if (!grants.isEmpty()) {
      jdbc.sql(
              """
              insert into provider_slot_leases (provider, holder, scene_id, user_id, free_tier, owner, expires_at)
              select ?, g.holder, g.scene_id, g.user_id, g.free_tier, ?, now() + make_interval(secs => ?)
                from unnest(cast(? as text[]), cast(? as uuid[]), cast(? as text[]), cast(? as boolean[]))
                     as g(holder, scene_id, user_id, free_tier)
              on conflict (provider, holder) do update set owner = excluded.owner, expires_at = excluded.expires_at
              """)
          .params(provider, owner, leaseSeconds,
              grants.stream().map(ProviderSlots.Request::holder).toArray(String[]::new),
              grants.stream().map(ProviderSlots.Request::sceneId).toArray(UUID[]::new),
              grants.stream().map(ProviderSlots.Request::userId).toArray(String[]::new),
              grants.stream().map(ProviderSlots.Request::freeTier).toArray(Boolean[]::new))
          .update();
    }
    return grants.stream().map(ProviderSlots.Request::holder).collect(Collectors.toSet());
  }

  /** The scenes of each of {@code users} that hold a slot of any provider now. */
  private Map<String, Set<UUID>> scenesHoldingSlots(String[] users) {
    Map<String, Set<UUID>> scenes = new HashMap<>();
    jdbc.sql("select user_id, scene_id from provider_slot_leases where user_id = any(?) and expires_at > now()")
        .param(users)
        .query((rs, n) -> scenes.computeIfAbsent(rs.getString("user_id"), u -> new HashSet<>())
            .add(rs.getObject("scene_id", UUID.class)))
        .list();
    return scenes;
  }

  /** Extends a held slot; false when it was lost (its lease ran out and someone took it). */
  @Override
  public boolean renew(String provider, String holder, int leaseSeconds) {
    return jdbc.sql("update provider_slot_leases set expires_at = now() + make_interval(secs => ?)"
                + " where provider = ? and holder = ?")
            .params(leaseSeconds, provider, holder)
            .update() == 1;
  }

  @Override
  public void release(String provider, String holder) {
    vacuums.deleted("provider_slot_leases",
        jdbc.sql("delete from provider_slot_leases where provider = ? and holder = ?").params(provider, holder).update());
  }

  /** The capacity operators set for {@code provider} ({@code provider_capacity}), else {@code configured}. */
  int capacity(String provider, int configured) {
    return jdbc.sql("select " + CAPACITY).param("p", provider).param("configured", configured)
        .query(Integer.class).single();
  }

  /** Sets a provider's capacity for every instance, effective at their next slot decision. */
  @Override
  public void setCapacity(String provider, int slots) {
    jdbc.sql("insert into provider_capacity (provider, slots) values (?, ?)"
            + " on conflict (provider) do update set slots = excluded.slots, updated_at = now()")
        .params(provider, slots)
        .update();
  }
}
