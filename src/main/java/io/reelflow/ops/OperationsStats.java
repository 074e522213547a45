package io.reelflow.ops;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.reelflow.generation.ProviderBreakers;
import io.reelflow.generation.ProviderSlots;
import io.reelflow.provider.MediaProvider;
import io.reelflow.provider.ProviderRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Supplier;
import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * What operators watch: the 24-hour completion success rate (finished videos that succeeded, of
 * those that succeeded or failed; a cancel is the user's choice and counts for neither), videos
 * finished by status, failures by code, the semantic cache's hit rate (videos served from
 * another's cache, of those allowed to be), queue depths (dead letters included) and provider
 * slot use. Served as Micrometer gauges on {@code /actuator/prometheus} and as {@code GET
 * /v1/admin/stats}. Each figure is read at most every few seconds, however often it is scraped.
 */
@Component("operationsStats")
public class OperationsStats {

  private static final Duration FRESH = Duration.ofSeconds(5);

  /** The admin stats document. */
  public record Stats(
      @JsonProperty("window_hours") int windowHours,
      @JsonProperty("success_rate") Double successRate,
      @JsonProperty("cache_hit_rate") Double cacheHitRate,
      Map<String, Integer> finished,
      @JsonProperty("failures_by_code") Map<String, Integer> failuresByCode,
      @JsonProperty("unfinished") Map<String, Integer> unfinished,
      Map<String, Integer> queues) {}

  private final JdbcClient jdbc;
  private final AmqpAdmin rabbit;
  private final ProviderRegistry registry;
  private final ProviderSlots slots;
  private final MeterRegistry meters;
  private final Cached<Map<String, Integer>> finished;
  private final Cached<Map<String, Integer>> queues;
  private final Cached<Double> cacheHits;
  private final List<Cached<ProviderSlots.Usage>> usages = new ArrayList<>();
  private final ProviderBreakers breakers;

  OperationsStats(JdbcClient jdbc, AmqpAdmin rabbit, ProviderRegistry registry, ProviderSlots slots,
      ProviderBreakers breakers, MeterRegistry meters) {
    this.breakers = breakers;
    this.jdbc = jdbc;
    this.rabbit = rabbit;
    this.registry = registry;
    this.slots = slots;
    this.meters = meters;
    this.finished = new Cached<>(this::readFinished);
    this.queues = new Cached<>(this::readQueues);
    this.cacheHits = new Cached<>(this::readCacheHitRate);
  }

  /** Registers the gauges once the application (and its providers) are up. */
  @EventListener(ApplicationReadyEvent.class)
  public void registerGauges() {
    Gauge.builder("reelflow.videos.success_rate_24h", this, s -> rate(s.finished.get()))
        .description("videos finished in the last 24 h that succeeded, of those that succeeded or failed")
        .register(meters);
    for (String status : List.of("succeeded", "failed", "canceled")) {
      Gauge.builder("reelflow.videos.finished_24h", this, s -> s.finished.get().getOrDefault(status, 0))
          .tag("status", status)
          .register(meters);
    }
    Gauge.builder("reelflow.cache.hit_rate_24h", this, s -> {
          Double rate = s.cacheHits.get();
          return rate == null ? Double.NaN : rate;
        })
        .description("videos of the last 24 h that may use the cache (cache auto) served from an earlier one")
        .register(meters);
    for (String queue : queueNames()) {
      Gauge.builder("reelflow.queue.depth", this, s -> s.queues.get().getOrDefault(queue, 0))
          .description("messages ready in the queue")
          .tag("queue", queue)
          .register(meters);
    }
    for (MediaProvider provider : registry.inUse()) {
      String name = provider.name();
      Cached<ProviderSlots.Usage> usage = new Cached<>(() -> slots.usage(name));
      usages.add(usage); // gauges hold their state weakly
      breakers.of(name); // registers the provider's circuit state gauge from the start
      Gauge.builder("reelflow.provider.slots.in_flight", usage, u -> u.get().inFlight())
          .description("calls in flight to the provider over all instances")
          .tag("provider", name)
          .register(meters);
      Gauge.builder("reelflow.provider.slots.capacity", usage, u -> u.get().capacity())
          .description("slots of the provider")
          .tag("provider", name)
          .register(meters);
    }
  }

  /** The document of {@code GET /v1/admin/stats}. */
  public Stats stats() {
    Map<String, Integer> done = readFinished();
    Map<String, Integer> failures = new LinkedHashMap<>();
    jdbc.sql("select coalesce(error_code, 'unknown') as code, count(*) as n from videos where status = 'failed'"
            + " and completed_at > now() - interval '24 hours' group by 1 order by 2 desc, 1")
        .query((rs, n) -> failures.put(rs.getString("code"), rs.getInt("n")))
        .list();
    Map<String, Integer> unfinished = new LinkedHashMap<>();
    jdbc.sql("select status, count(*) as n from videos where status in ('queued', 'planning', 'generating', 'composing')"
            + " group by 1 order by 1")
        .query((rs, n) -> unfinished.put(rs.getString("status"), rs.getInt("n")))
        .list();
    return new Stats(24, rate(done), readCacheHitRate(), done, failures, unfinished, readQueues());
  }

  /** Of the videos submitted in 24 h with {@code cache: auto}, the share served from another's cache. */
  private Double readCacheHitRate() {
    return jdbc.sql("select case when count(*) = 0 then null"
            + " else (count(*) filter (where cached_from is not null))::float8 / count(*) end"
            + " from videos where created_at > now() - interval '24 hours' and coalesce(options->>'cache', 'auto') = 'auto'")
        .query(Double.class)
        .optional()
        .orElse(null);
  }

  private static Double rate(Map<String, Integer> finished) {
    int succeeded = finished.getOrDefault("succeeded", 0);
    int ended = succeeded + finished.getOrDefault("failed", 0);
    return ended == 0 ? null : (double) succeeded / ended;
  }

  private Map<String, Integer> readFinished() {
    Map<String, Integer> counts = new LinkedHashMap<>();
    jdbc.sql("select status, count(*) as n from videos where completed_at > now() - interval '24 hours'"
            + " and status in ('succeeded', 'failed', 'canceled') group by 1")
        .query((rs, n) -> counts.put(rs.getString("status"), rs.getInt("n")))
        .list();
    return counts;
  }

  private Map<String, Integer> readQueues() {
    Map<String, Integer> depths = new LinkedHashMap<>();
    for (String queue : queueNames()) {
      try {
        Properties info = rabbit.getQueueProperties(queue);
        Object count = info == null ? null : info.get(org.springframework.amqp.rabbit.core.RabbitAdmin.QUEUE_MESSAGE_COUNT);
        depths.put(queue, count instanceof Number n ? n.intValue() : 0);
      } catch (RuntimeException e) {
        depths.put(queue, -1);
      }
    }
    return depths;
  }

  private static List<String> queueNames() {
    List<String> names = new ArrayList<>();
    for (String queue : QueueTopology.QUEUES) {
      names.add(queue);
      names.add(queue + ".dlq");
    }
    return names;
  }

  /** A value read at most once per {@link #FRESH}. */
  private static final class Cached<T> {
    private final Supplier<T> reader;
    private T value;
    private Instant readAt = Instant.MIN;

    Cached(Supplier<T> reader) {
      this.reader = reader;
    }

    synchronized T get() {
      if (value == null || readAt.plus(FRESH).isBefore(Instant.now())) {
        value = reader.get();
        readAt = Instant.now();
      }
      return value;
    }
  }
}
