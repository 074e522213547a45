package io.reelflow.sim;

import io.reelflow.webhooks.WebhookSecret;
import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link ProviderSimulator} behaves from the start; faults that change while it runs are set
 * on the simulator itself. Build from {@link #defaults()} with the {@code with…} copy methods.
 *
 * @param port the TCP port to bind on 127.0.0.1; 0 picks a free one
 * @param slots how many predictions may be starting or processing at once before creates get 429
 * @param fixedLatency every prediction's latency, or {@code null} to draw it from the log-normal
 * @param latencyP50 the log-normal latency's median, used when there is no fixed latency
 * @param latencyP99 the log-normal latency's 99th percentile, used when there is no fixed latency
 * @param timeScale multiplies latencies and webhook retry back-offs (0.01 turns 30 s into 300 ms)
 * @param retryAfterSeconds the {@code Retry-After} sent with a 429 for full slots
 * @param token the bearer token every {@code /v1/*} request must carry, or {@code null} for none
 * @param webhookSecret signs webhooks; {@code null} makes the simulator generate one at start
 * @param seed seeds the latency and webhook-fault draws, so runs repeat
 * @param refusalMarker a prompt containing this (ignoring case) fails as a safety refusal, or null
 * @param webhookLost the probability, 0 to 1, that a webhook event is never sent
 * @param webhookDuplicated the probability, 0 to 1, that a webhook event is sent twice
 * @param webhookDelay a fixed extra delay before every webhook delivery, not scaled
 * @param webhookOutOfOrder the probability, 0 to 1, that {@code start} follows {@code completed}
 */
public record SimulatorSettings(
    int port,
    int slots,
    Duration fixedLatency,
    Duration latencyP50,
    Duration latencyP99,
    double timeScale,
    int retryAfterSeconds,
    String token,
    WebhookSecret webhookSecret,
    long seed,
    String refusalMarker,
    double webhookLost,
    double webhookDuplicated,
    Duration webhookDelay,
    double webhookOutOfOrder) {

  /** Checks ranges; see the record description for each component. */
  public SimulatorSettings {
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("port must be 0 to 65535");
    }
    if (slots < 0) {
      throw new IllegalArgumentException("slots must not be negative");
    }
    if (fixedLatency != null && fixedLatency.isNegative()) {
      throw new IllegalArgumentException("fixed latency must not be negative");
    }
    Objects.requireNonNull(latencyP50, "latencyP50");
    Objects.requireNonNull(latencyP99, "latencyP99");
    if (latencyP50.isNegative() || latencyP50.isZero() || latencyP99.compareTo(latencyP50) < 0) {
      throw new IllegalArgumentException("latency needs 0 < p50 <= p99");
    }
    if (!(timeScale > 0) || Double.isInfinite(timeScale)) {
      throw new IllegalArgumentException("time scale must be positive");
    }
    if (retryAfterSeconds < 0) {
      throw new IllegalArgumentException("retry-after must not be negative");
    }
    requireProbability("webhookLost", webhookLost);
    requireProbability("webhookDuplicated", webhookDuplicated);
    requireProbability("webhookOutOfOrder", webhookOutOfOrder);
    Objects.requireNonNull(webhookDelay, "webhookDelay");
    if (webhookDelay.isNegative()) {
      throw new IllegalArgumentException("webhook delay must not be negative");
    }
  }

  /**
   * A free port, 4 slots, log-normal latency with p50 30 s and p99 4 min at real time, {@code
   * Retry-After: 1}, no token, a generated webhook secret, seed 42, no refusal marker and no
   * webhook faults.
   */
  public static SimulatorSettings defaults() {
    return new SimulatorSettings(
        0, 4, null, Duration.ofSeconds(30), Duration.ofMinutes(4), 1.0, 1, null, null, 42L, null,
        0, 0, Duration.ZERO, 0);
  }

  /** A copy on {@code port} (0 for a free one). */
  public SimulatorSettings withPort(int port) {
    return new SimulatorSettings(
        port, slots, fixedLatency, latencyP50, latencyP99, timeScale, retryAfterSeconds, token,
        webhookSecret, seed, refusalMarker, webhookLost, webhookDuplicated, webhookDelay,
        webhookOutOfOrder);
  }

  /** A copy with {@code slots} concurrent predictions. */
  public SimulatorSettings withSlots(int slots) {
    return new SimulatorSettings(
        port, slots, fixedLatency, latencyP50, latencyP99, timeScale, retryAfterSeconds, token,
        webhookSecret, seed, refusalMarker, webhookLost, webhookDuplicated, webhookDelay,
        webhookOutOfOrder);
  }

  /** A copy where every prediction takes {@code latency} (before scaling). */
  public SimulatorSettings withFixedLatency(Duration latency) {
    return new SimulatorSettings(
        port, slots, Objects.requireNonNull(latency, "latency"), latencyP50, latencyP99, timeScale,
        retryAfterSeconds, token, webhookSecret, seed, refusalMarker, webhookLost,
        webhookDuplicated, webhookDelay, webhookOutOfOrder);
  }

  /** A copy drawing latencies from the log-normal with this median and 99th percentile. */
  public SimulatorSettings withLatency(Duration p50, Duration p99) {
    return new SimulatorSettings(
        port, slots, null, p50, p99, timeScale, retryAfterSeconds, token, webhookSecret, seed,
        refusalMarker, webhookLost, webhookDuplicated, webhookDelay, webhookOutOfOrder);
  }

  /** A copy multiplying latencies by {@code timeScale}. */
  public SimulatorSettings withTimeScale(double timeScale) {
    return new SimulatorSettings(
        port, slots, fixedLatency, latencyP50, latencyP99, timeScale, retryAfterSeconds, token,
        webhookSecret, seed, refusalMarker, webhookLost, webhookDuplicated, webhookDelay,
        webhookOutOfOrder);
  }

  /** A copy answering full slots with {@code Retry-After: seconds}. */
  public SimulatorSettings withRetryAfterSeconds(int seconds) {
    return new SimulatorSettings(
        port, slots, fixedLatency, latencyP50, latencyP99, timeScale, seconds, token,
        webhookSecret, seed, refusalMarker, webhookLost, webhookDuplicated, webhookDelay,
        webhookOutOfOrder);
  }

  /** A copy requiring {@code Authorization: Bearer token}; {@code null} requires nothing. */
  public SimulatorSettings withToken(String token) {
    return new SimulatorSettings(
        port, slots, fixedLatency, latencyP50, latencyP99, timeScale, retryAfterSeconds, token,
        webhookSecret, seed, refusalMarker, webhookLost, webhookDuplicated, webhookDelay,
        webhookOutOfOrder);
  }

  /** A copy signing webhooks with {@code secret}; {@code null} generates one at start. */
  public SimulatorSettings withWebhookSecret(WebhookSecret secret) {
    return new SimulatorSettings(
        port, slots, fixedLatency, latencyP50, latencyP99, timeScale, retryAfterSeconds, token,
        secret, seed, refusalMarker, webhookLost, webhookDuplicated, webhookDelay,
        webhookOutOfOrder);
  }

  /**
   * A copy with these webhook faults.
   *
   * @param lost the probability that an event is never sent
   * @param duplicated the probability that an event is sent twice
   * @param delay a fixed extra delay before every delivery
   * @param outOfOrder the probability that {@code start} is sent after {@code completed}
   */
  public SimulatorSettings withWebhookFaults(
      double lost, double duplicated, Duration delay, double outOfOrder) {
    return new SimulatorSettings(
        port, slots, fixedLatency, latencyP50, latencyP99, timeScale, retryAfterSeconds, token,
        webhookSecret, seed, refusalMarker, lost, duplicated, delay, outOfOrder);
  }

  /** A copy seeding the random draws with {@code seed}. */
  public SimulatorSettings withSeed(long seed) {
    return new SimulatorSettings(
        port, slots, fixedLatency, latencyP50, latencyP99, timeScale, retryAfterSeconds, token,
        webhookSecret, seed, refusalMarker, webhookLost, webhookDuplicated, webhookDelay,
        webhookOutOfOrder);
  }

  /** A copy refusing prompts that contain {@code marker}; {@code null} refuses none. */
  public SimulatorSettings withRefusalMarker(String marker) {
    return new SimulatorSettings(
        port, slots, fixedLatency, latencyP50, latencyP99, timeScale, retryAfterSeconds, token,
        webhookSecret, seed, marker, webhookLost, webhookDuplicated, webhookDelay,
        webhookOutOfOrder);
  }

  /** Redacts the token and secret so settings can be logged. */
  @Override
  public String toString() {
    return "SimulatorSettings[port=" + port + ", slots=" + slots + ", fixedLatency=" + fixedLatency
        + ", latencyP50=" + latencyP50 + ", latencyP99=" + latencyP99 + ", timeScale=" + timeScale
        + ", retryAfterSeconds=" + retryAfterSeconds + ", token=" + (token == null ? null : "***")
        + ", webhookSecret=" + webhookSecret + ", seed=" + seed + ", refusalMarker="
        + refusalMarker + ", webhookLost=" + webhookLost + ", webhookDuplicated="
        + webhookDuplicated + ", webhookDelay=" + webhookDelay + ", webhookOutOfOrder="
        + webhookOutOfOrder + "]";
  }

  private static void requireProbability(String name, double p) {
    if (!(p >= 0 && p <= 1)) {
      throw new IllegalArgumentException(name + " must be a probability from 0 to 1");
    }
  }
}
