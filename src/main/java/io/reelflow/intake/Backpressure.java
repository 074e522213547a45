package io.reelflow.intake;

import io.reelflow.generation.ProviderSlots;
import io.reelflow.provider.Capability;
import io.reelflow.provider.ProviderSettings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.camel.ExchangeProperty;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Refuses new submissions of a tier while its scenes would wait too long for provider slots, so
 * the queue stops growing without bound when capacity drops: 503 {@code overloaded} with {@code
 * Retry-After}. The estimate is scenes waiting × median scene time ÷ the slots the tier can use
 * (the free tier its floor share while paid work waits), over the first visual provider, which
 * is the bottleneck; it is recomputed at most once a second.
 */
@Component("backpressure")
public class Backpressure {

  private static final long REFRESH_MS = 1000;
  private static final double DEFAULT_SCENE_SECONDS = 10;

  /** Scenes waiting per tier class and how long a scene takes now. */
  record Load(long paidWaiting, long freeWaiting, double sceneSeconds, int slots, double freeShare) {

    /** Estimated wait of a new scene of the free tier or of a paid tier. */
    Duration waitOf(boolean free) {
      double seconds;
      if (free) {
        double usable = paidWaiting > 0 ? Math.max(1, Math.ceil(freeShare * slots)) : Math.max(1, slots);
        seconds = freeWaiting * sceneSeconds / usable;
      } else {
        seconds = paidWaiting * sceneSeconds / Math.max(1, slots);
      }
      return Duration.ofMillis(Math.round(seconds * 1000));
    }
  }

  private final JdbcClient jdbc;
  private final ApiSettings api;
  private final ProviderSettings providers;
  private final ProviderSlots slots;
  private volatile Load load;
  private volatile long loadedAt;

  Backpressure(JdbcClient jdbc, ApiSettings api, ProviderSettings providers, ProviderSlots slots) {
    this.jdbc = jdbc;
    this.api = api;
    this.providers = providers;
    this.slots = slots;
  }

  /** @throws ApiException 503 {@code overloaded} when the caller's tier waits too long now */
  public void check(@ExchangeProperty("caller") Caller caller) {
    Duration bound = api.tier(caller.tier()).maxQueueWait();
    if (bound == null) {
      return;
    }
    Duration wait = load().waitOf("free".equals(caller.tier()));
    if (wait.compareTo(bound) > 0) {
      long retryAfter = Math.max(1, Math.min(600, wait.minus(bound).toSeconds()));
      throw new ApiException(503, "overloaded", "Overloaded",
          "the " + caller.tier() + " queue would wait about " + wait.toSeconds() + " s for a slot (limit "
              + bound.toSeconds() + " s); try again later", List.of())
          .withHeaders(Map.of("Retry-After", Long.toString(retryAfter)));
    }
  }

  private Load load() {
    long now = System.currentTimeMillis();
    Load current = load;
    if (current == null || now - loadedAt > REFRESH_MS) {
      synchronized (this) {
        if (load == null || now - loadedAt > REFRESH_MS) {
          load = measure();
          loadedAt = now;
        }
        current = load;
      }
    }
    return current;
  }

  private Load measure() {
    Map<String, Object> counts = jdbc.sql(
            """
            select count(*) filter (where v.tier <> 'free') as paid, count(*) filter (where v.tier = 'free') as free
              from scenes s join videos v on v.id = s.video_id
             where s.status = 'pending' and v.status = 'generating'
            """)
        .query().singleRow();
    double median = jdbc.sql(
            """
            select coalesce(percentile_cont(0.5) within group (order by extract(epoch from finished_at - started_at)), 0)
              from scenes where status = 'succeeded' and finished_at > now() - interval '15 minutes'
            """)
        .query(Double.class).single();
    String bottleneck = providers.chain(Capability.VISUAL).get(0);
    return new Load(((Number) counts.get("paid")).longValue(), ((Number) counts.get("free")).longValue(),
        median > 0 ? median : DEFAULT_SCENE_SECONDS, slots.usage(bottleneck).capacity(),
        providers.freeFloorShare());
  }
}
