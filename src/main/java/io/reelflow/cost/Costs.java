package io.reelflow.cost;

import io.reelflow.provider.Capability;
import io.reelflow.provider.ProviderSettings;
import io.reelflow.video.SceneJob;
import io.reelflow.video.VideoOptions;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * What videos cost: an estimate on submit from the price table and the first provider of each
 * chain (shown on the video, and held against the user's daily budget until the video ends), and
 * the actual cost of each provider call in the {@code cost_ledger}.
 */
@Component
public class Costs {

  /** Characters of speech per second of video: about 2.5 words of 6 characters. */
  static final int SPEECH_CHARACTERS_PER_SECOND = 15;

  private final CostSettings settings;
  private final ProviderSettings providers;
  private final JdbcClient jdbc;

  Costs(CostSettings settings, ProviderSettings providers, JdbcClient jdbc) {
    this.settings = settings;
    this.providers = providers;
    this.jdbc = jdbc;
  }

  /** The estimate of a video with {@code options}, from the first provider of each chain. */
  public BigDecimal estimate(VideoOptions options) {
    int seconds = options.durationSeconds();
    BigDecimal visual = first(Capability.VISUAL).map(p -> settings.priceOf(p).perSecond()).orElse(BigDecimal.ZERO)
        .multiply(BigDecimal.valueOf(seconds));
    BigDecimal speech = first(Capability.SPEECH).map(p -> settings.priceOf(p).perCharacter())
        .orElse(BigDecimal.ZERO).multiply(BigDecimal.valueOf((long) seconds * SPEECH_CHARACTERS_PER_SECOND));
    BigDecimal music = !options.music() ? BigDecimal.ZERO : first(Capability.MUSIC)
        .map(p -> settings.priceOf(p).perSecond()).orElse(BigDecimal.ZERO).multiply(BigDecimal.valueOf(seconds));
    return visual.add(speech).add(music).setScale(4, RoundingMode.HALF_UP);
  }

  /** What one call to {@code provider} for {@code scene}'s {@code capability} costs. */
  public BigDecimal ofCall(String provider, Capability capability, SceneJob scene) {
    CostSettings.Price price = settings.priceOf(provider);
    return capability == Capability.SPEECH
        ? price.perCharacter().multiply(BigDecimal.valueOf(scene.audioScript().length()))
        : price.perSecond().multiply(BigDecimal.valueOf(scene.durationMs() / 1000.0));
  }

  /** Writes a call's cost to the ledger (nothing for a free call). */
  public void charge(UUID videoId, String userId, String item, BigDecimal amount) {
    if (amount.signum() > 0) {
      jdbc.sql("insert into cost_ledger (video_id, user_id, item, amount) values (?, ?, ?, ?)")
          .params(videoId, userId, item, amount.setScale(6, RoundingMode.HALF_UP))
          .update();
    }
  }

  /** The user's daily budget in their tier, if the tier has one. */
  public Optional<BigDecimal> budget(String tier) {
    return Optional.ofNullable(settings.dailyBudget().get(tier));
  }

  /**
   * What a user has committed, as an SQL expression of {@code user} (an SQL expression giving the
   * user's id): spent in 24 h plus the estimates of their unfinished videos. A video being edited
   * (it has a version) commits nothing more: only its regenerated provider calls cost, and they are
   * in the ledger once made. (Read by the admission statement, {@code Submissions.ADMIT}.)
   */
  public static String committedBy(String user) {
    return ("coalesce((select sum(amount) from cost_ledger where user_id = %1$s and created_at > now() - interval"
        + " '24 hours'), 0) + coalesce((select sum(cost_estimate) from videos where user_id = %1$s"
        + " and status in ('queued', 'planning', 'generating', 'composing') and version = 0), 0)").formatted(user);
  }

  private Optional<String> first(Capability capability) {
    List<String> chain = providers.chain(capability);
    return chain.isEmpty() ? Optional.empty() : Optional.of(chain.get(0));
  }
}
