package io.reelflow.sim;

import java.time.Duration;
import java.util.Random;

/**
 * Draws how long each prediction takes: a fixed value, or log-normal with the configured median
 * and 99th percentile ({@code sigma = (ln p99 - ln p50) / 2.326}), then multiplied by the time
 * scale. Draws are clamped to four sigmas either side so one unlucky draw cannot stall a test.
 * Seeded, so the same settings give the same sequence; thread-safe.
 */
final class Latencies {

  private static final double Z_99 = 2.326;
  private static final double MAX_SIGMAS = 4;

  private volatile Duration fixed;
  private final double mu;
  private final double sigma;
  private final double timeScale;
  private final Random random;

  Latencies(SimulatorSettings settings) {
    this.fixed = settings.fixedLatency();
    this.mu = Math.log(settings.latencyP50().toNanos());
    this.sigma = (Math.log(settings.latencyP99().toNanos()) - mu) / Z_99;
    this.timeScale = settings.timeScale();
    this.random = new Random(settings.seed());
  }

  /** Makes every later prediction take {@code latency} (before scaling). */
  void fix(Duration latency) {
    this.fixed = latency;
  }

  /** The next prediction's latency, scaled, at least one millisecond. */
  Duration next() {
    double nanos;
    Duration fixed = this.fixed;
    if (fixed != null) {
      nanos = fixed.toNanos();
    } else {
      double z;
      synchronized (random) {
        z = random.nextGaussian();
      }
      z = Math.max(-MAX_SIGMAS, Math.min(MAX_SIGMAS, z));
      nanos = Math.exp(mu + sigma * z);
    }
    return scale(Duration.ofNanos((long) nanos));
  }

  /** {@code duration} times the time scale, at least one millisecond. */
  Duration scale(Duration duration) {
    long nanos = (long) (duration.toNanos() * timeScale);
    return Duration.ofNanos(Math.max(nanos, 1_000_000L));
  }
}
