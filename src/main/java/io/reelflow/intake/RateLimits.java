package io.reelflow.intake;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Message;
import org.springframework.stereotype.Component;

/**
 * Per-user submission rate limit: a Bucket4j token bucket per user, sized by tier
 * ({@code burst} tokens, refilled at {@code per-minute}). Answers carry {@code RateLimit-Limit},
 * {@code RateLimit-Remaining} and {@code RateLimit-Reset}; a refusal is 429 {@code rate_limited}
 * with {@code Retry-After}.
 *
 * <p>Buckets live in this instance's memory: behind a load balancer that spreads one user over n
 * instances the burst can reach n times the limit. Quotas that matter for money (unfinished
 * videos, videos per day) are counted in PostgreSQL and are exact across instances.
 */
@Component("rateLimits")
public class RateLimits {

  private final ApiSettings settings;
  private final Cache<String, Bucket> buckets =
      Caffeine.newBuilder().maximumSize(200_000).expireAfterAccess(Duration.ofHours(1)).build();

  RateLimits(ApiSettings settings) {
    this.settings = settings;
  }

  /**
   * Takes one submission token for the caller and sets the {@code RateLimit-*} headers.
   *
   * @throws ApiException 429 {@code rate_limited} when the bucket is empty
   */
  public void consume(@ExchangeProperty("caller") Caller caller, Message message) {
    ApiSettings.Tier tier = settings.tier(caller.tier());
    Bucket bucket = buckets.get(caller.userId() + "|" + caller.tier(), k -> bucket(tier));
    ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
    long refillNanos = TimeUnit.MINUTES.toNanos(1) / Math.max(1, tier.perMinute());
    long untilFull = (tier.burst() - probe.getRemainingTokens()) * refillNanos;
    Map<String, String> headers = Map.of(
        "RateLimit-Limit", String.valueOf(tier.burst()),
        "RateLimit-Remaining", String.valueOf(probe.getRemainingTokens()),
        "RateLimit-Reset", String.valueOf(seconds(untilFull)),
        "RateLimit-Policy", tier.burst() + ";w=60;burst=" + tier.burst() + ";refill=" + tier.perMinute());
    headers.forEach(message::setHeader);
    if (!probe.isConsumed()) {
      long wait = seconds(probe.getNanosToWaitForRefill());
      throw ApiException.rateLimited("the " + caller.tier() + " tier accepts " + tier.perMinute()
              + " submissions per minute (bursts of " + tier.burst() + "); retry in " + wait + " s")
          .withHeaders(Map.of("Retry-After", String.valueOf(wait)));
    }
  }

  private static Bucket bucket(ApiSettings.Tier tier) {
    return Bucket.builder()
        .addLimit(Bandwidth.builder()
            .capacity(tier.burst())
            .refillGreedy(tier.perMinute(), Duration.ofMinutes(1))
            .build())
        .build();
  }

  private static long seconds(long nanos) {
    return Math.max(1, (nanos + 999_999_999L) / 1_000_000_000L);
  }
}
