package io.reelflow.intake;

import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;

/**
 * The public API's limits.
 *
 * @param localKeyFile where the local development key is written on first start; empty for none
 * @param maxBodyBytes largest accepted submission body
 * @param duplicateWindow an identical submission (same user, prompt, options) within this window
 *     returns the earlier video instead of making a second one
 * @param idempotencyRetention how long an {@code Idempotency-Key} replays its first response
 * @param contentLinkTtl lifetime of the presigned download links of {@code /content}
 * @param streamMaxDuration an event stream is closed after this long; clients resume with
 *     {@code Last-Event-ID}
 * @param streamHeartbeat interval of the comment lines that keep an idle event stream open
 * @param streamPoll how often an event stream looks for new events
 * @param maxStreams concurrent event streams per instance; more are answered 503
 * @param tiers limits per tier: {@code free}, {@code pro}, {@code enterprise}
 */
@ConfigurationProperties("reelflow.api")
public record ApiSettings(
    String localKeyFile,
    int maxBodyBytes,
    Duration duplicateWindow,
    Duration idempotencyRetention,
    Duration contentLinkTtl,
    Duration streamMaxDuration,
    Duration streamHeartbeat,
    Duration streamPoll,
    int maxStreams,
    Map<String, Tier> tiers) {

  /**
   * What one tier may do.
   *
   * @param maxResolution highest resolution it may ask for
   * @param burst token-bucket capacity: submissions accepted at once
   * @param perMinute token-bucket refill: sustained submissions per minute
   * @param maxUnfinished videos that may be queued or running at the same time
   * @param maxPerDay videos accepted in any 24 hours
   * @param priority queue priority of its scenes, 0–9
   * @param maxQueueWait new submissions are refused (503 {@code overloaded}, with Retry-After)
   *     while the estimated wait of this tier's scenes for provider slots is longer; null: never
   * @param maxDurationSeconds longest video it may ask for (at most 120 s)
   * @param maxScenes most scenes of one of its videos, planned or in a shot list; at least
   *     {@code max-duration-seconds / 8} (no scene is longer than 8 s)
   * @param maxRetries retries of each scene's provider calls before the video fails; null: the
   *     providers' {@code retry.budget}
   */
  public record Tier(String maxResolution, int burst, int perMinute, int maxUnfinished, int maxPerDay, int priority,
      Duration maxQueueWait, int maxDurationSeconds, int maxScenes, Integer maxRetries) {

    static final int LONGEST_VIDEO = 120;
    static final int LONGEST_SCENE = 8;

    @ConstructorBinding
    public Tier {
      maxDurationSeconds = maxDurationSeconds <= 0 ? LONGEST_VIDEO : Math.min(maxDurationSeconds, LONGEST_VIDEO);
      maxScenes = maxScenes <= 0 ? 40 : maxScenes;
      if (maxScenes * LONGEST_SCENE < maxDurationSeconds) {
        throw new IllegalArgumentException("a tier with max-duration-seconds " + maxDurationSeconds + " needs max-scenes of"
            + " at least " + (int) Math.ceil(maxDurationSeconds / (double) LONGEST_SCENE) + " (scenes last at most "
            + LONGEST_SCENE + " s), not " + maxScenes);
      }
      if (maxRetries != null && maxRetries < 0) {
        throw new IllegalArgumentException("max-retries must not be negative");
      }
    }

    /** A tier without a queue-wait bound or caps beyond the API's. */
    public Tier(String maxResolution, int burst, int perMinute, int maxUnfinished, int maxPerDay, int priority) {
      this(maxResolution, burst, perMinute, maxUnfinished, maxPerDay, priority, null, 0, 0, null);
    }

    /** The retries a scene of this tier gets, {@code fallback} when the tier does not say. */
    public int retries(int fallback) {
      return maxRetries == null ? fallback : maxRetries;
    }
  }

  /** The limits of {@code tier}; an unknown tier gets the free tier's. */
  public Tier tier(String tier) {
    Tier found = tiers.get(tier);
    return found != null ? found : tiers.get("free");
  }
}
