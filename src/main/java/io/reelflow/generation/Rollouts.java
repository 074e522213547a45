package io.reelflow.generation;

import io.micrometer.core.instrument.MeterRegistry;
import io.reelflow.provider.Capability;
import io.reelflow.provider.MediaProvider;
import io.reelflow.provider.ProviderRegistry;
import io.reelflow.video.SceneJob;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * A/B rollout of a new model ({@code reelflow.rollouts.<capability>}): a configured share of
 * scenes, chosen by a stable hash of the scene id (so a retry or a redelivery stays in its arm),
 * goes to the candidate provider first, with the usual chain behind it; once the candidate's
 * spend in the last 24 h (from the cost ledger) reaches its daily budget, every scene goes back to
 * the default chain. The provider that made each asset is recorded on it ({@code assets.provider}).
 */
@Component
public class Rollouts {

  /**
   * One rollout.
   *
   * @param candidate the new provider (a configured provider of the same capability)
   * @param share the share of scenes, 0 to 1, that try it first
   * @param dailyBudget its spend cap over 24 h; empty: none
   */
  public record Rollout(String candidate, double share, BigDecimal dailyBudget) {}

  /** {@code reelflow.rollouts.*}: at most one rollout per capability. */
  @ConfigurationProperties("reelflow.rollouts")
  public record Settings(Rollout visual, Rollout speech, Rollout music) {

    Rollout of(Capability capability) {
      return switch (capability) {
        case VISUAL -> visual;
        case SPEECH -> speech;
        case MUSIC -> music;
      };
    }
  }

  private static final Duration SPEND_FRESH = Duration.ofSeconds(10);

  private record Spend(BigDecimal amount, Instant readAt) {}

  private final Settings settings;
  private final ProviderRegistry registry;
  private final JdbcClient jdbc;
  private final MeterRegistry meters;
  private final Map<String, Spend> spend = new ConcurrentHashMap<>();

  Rollouts(Settings settings, ProviderRegistry registry, JdbcClient jdbc, MeterRegistry meters) {
    this.settings = settings;
    this.registry = registry;
    this.jdbc = jdbc;
    this.meters = meters;
  }

  /** {@code chain} for this scene: the candidate first when the scene is in its arm and within budget. */
  public List<MediaProvider> order(Capability capability, SceneJob scene, List<MediaProvider> chain) {
    Rollout rollout = settings.of(capability);
    if (rollout == null || rollout.candidate() == null) {
      return chain;
    }
    MediaProvider candidate = registry.named(rollout.candidate());
    List<MediaProvider> rest = new ArrayList<>(chain);
    rest.remove(candidate);
    boolean chosen = candidate != null && candidate.capability() == capability && candidate.supports(scene)
        && inArm(scene.sceneId(), rollout.share()) && withinBudget(spentToday(rollout.candidate()), rollout.dailyBudget());
    meters.counter("reelflow.rollout.assignments", "capability", capability.key(), "arm",
        chosen ? "candidate" : "default").increment();
    if (!chosen) {
      return List.copyOf(rest);
    }
    rest.add(0, candidate);
    return List.copyOf(rest);
  }

  /** Whether a scene is in the candidate's arm: a stable hash of its id, below the share. */
  static boolean inArm(UUID sceneId, double share) {
    long bits = sceneId.getLeastSignificantBits() * 0x9E3779B97F4A7C15L;
    double bucket = (bits >>> 11) / (double) (1L << 53);
    return bucket < share;
  }

  static boolean withinBudget(BigDecimal spent, BigDecimal budget) {
    return budget == null || spent.compareTo(budget) < 0;
  }

  private BigDecimal spentToday(String provider) {
    Spend known = spend.get(provider);
    if (known != null && known.readAt().plus(SPEND_FRESH).isAfter(Instant.now())) {
      return known.amount();
    }
    BigDecimal amount = jdbc.sql("select coalesce(sum(amount), 0) from cost_ledger where item like ?"
            + " and created_at > now() - interval '24 hours'")
        .param(provider + ":%")
        .query(BigDecimal.class)
        .single();
    spend.put(provider, new Spend(amount, Instant.now()));
    return amount;
  }
}
