package io.reelflow.sim;

import io.reelflow.webhooks.WebhookSecret;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses the {@code provider-sim} flags ({@code --flag value} or {@code --flag=value}). */
final class SimulatorCommandLine {

  static final String USAGE = "Usage: scripts/provider-sim [--port 8091] [--slots 4] [--p50 30s]"
      + " [--p99 4m] [--fixed-latency 2s] [--time-scale 1.0] [--retry-after 1] [--token TOKEN]"
      + " [--webhook-secret whsec_...] [--seed 42] [--refusal-marker REFUSE] [--webhook-lost 0]"
      + " [--webhook-duplicated 0] [--webhook-delay-ms 0] [--webhook-out-of-order 0]";

  static final int DEFAULT_PORT = 8091;

  private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)?");

  private SimulatorCommandLine() {}

  /**
   * Parses {@code args} over {@link SimulatorSettings#defaults()} on port 8091.
   *
   * @throws IllegalArgumentException for an unknown flag, a missing value or a malformed one
   */
  static SimulatorSettings parse(String[] args) {
    SimulatorSettings settings = SimulatorSettings.defaults().withPort(DEFAULT_PORT);
    Duration p50 = settings.latencyP50();
    Duration p99 = settings.latencyP99();
    Duration fixed = null;
    double lost = 0;
    double duplicated = 0;
    double outOfOrder = 0;
    Duration delay = Duration.ZERO;
    for (int i = 0; i < args.length; i++) {
      String flag = args[i];
      String value;
      if (flag.contains("=")) {
        value = flag.substring(flag.indexOf('=') + 1);
        flag = flag.substring(0, flag.indexOf('='));
      } else if (i + 1 < args.length) {
        value = args[++i];
      } else {
        throw new IllegalArgumentException(flag + " needs a value");
      }
      switch (flag) {
        case "--port" -> settings = settings.withPort(Integer.parseInt(value));
        case "--slots" -> settings = settings.withSlots(Integer.parseInt(value));
        case "--p50" -> p50 = duration(value);
        case "--p99" -> p99 = duration(value);
        case "--fixed-latency" -> fixed = duration(value);
        case "--time-scale" -> settings = settings.withTimeScale(Double.parseDouble(value));
        case "--retry-after" -> settings = settings.withRetryAfterSeconds(Integer.parseInt(value));
        case "--token" -> settings = settings.withToken(value);
        case "--webhook-secret" ->
            settings = settings.withWebhookSecret(WebhookSecret.parse(value));
        case "--seed" -> settings = settings.withSeed(Long.parseLong(value));
        case "--refusal-marker" -> settings = settings.withRefusalMarker(value);
        case "--webhook-lost" -> lost = Double.parseDouble(value);
        case "--webhook-duplicated" -> duplicated = Double.parseDouble(value);
        case "--webhook-delay-ms" -> delay = Duration.ofMillis(Long.parseLong(value));
        case "--webhook-out-of-order" -> outOfOrder = Double.parseDouble(value);
        default -> throw new IllegalArgumentException("unknown flag " + flag);
      }
    }
    settings =
        settings.withLatency(p50, p99).withWebhookFaults(lost, duplicated, delay, outOfOrder);
    return fixed == null ? settings : settings.withFixedLatency(fixed);
  }

  /** {@code 250ms}, {@code 2s}, {@code 1.5m}, {@code 1h}; a bare number is seconds. */
  static Duration duration(String text) {
    Matcher m = DURATION.matcher(text.trim().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new IllegalArgumentException("not a duration: " + text);
    }
    double amount = Double.parseDouble(m.group(1));
    String unit = m.group(2) == null ? "s" : m.group(2);
    double millis = switch (unit) {
      case "ms" -> amount;
      case "m" -> amount * 60_000;
      case "h" -> amount * 3_600_000;
      default -> amount * 1_000;
    };
    return Duration.ofNanos(Math.round(millis * 1_000_000));
  }
}
