package io.reelflow.provider;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Media providers ({@code reelflow.providers.*}).
 *
 * @param visual provider chain for visuals: the first is used, the next take over when its
 *     circuit is open or it cannot make the scene
 * @param speech provider chain for voice-over
 * @param music provider chain for the music bed
 * @param slots concurrent calls per provider (its GPU slots) until changed at run time
 * @param slotLease how long a slot stays held without a sign of life before it returns to the pool
 * @param slotPoll how often a waiting scene looks for slots freed by other instances
 * @param perUserScenes scenes of one user that may hold provider slots at once
 * @param freeFloorShare share of each provider's slots kept for the free tier while it has work
 * @param breaker circuit breaker thresholds, the same for every provider
 * @param retry retries of one scene
 * @param remote remote providers by name, each with its adapter kind and endpoint
 */
@ConfigurationProperties("reelflow.providers")
public record ProviderSettings(
    List<String> visual,
    List<String> speech,
    List<String> music,
    Map<String, Integer> slots,
    Duration slotLease,
    Duration slotPoll,
    int perUserScenes,
    double freeFloorShare,
    Breaker breaker,
    Retry retry,
    Map<String, Remote> remote) {

  public ProviderSettings {
    slots = slots == null ? Map.of() : Map.copyOf(slots);
    remote = remote == null ? Map.of() : Map.copyOf(remote);
  }

  /**
   * Circuit breaker thresholds.
   *
   * @param failureRateThreshold percentage of failed calls in the window that opens the circuit
   * @param slidingWindow number of recent calls looked at
   * @param minimumCalls calls needed before the rate counts
   * @param openWait how long an open circuit refuses calls before it lets a few through
   * @param halfOpenCalls trial calls while half-open
   */
  public record Breaker(int failureRateThreshold, int slidingWindow, int minimumCalls, Duration openWait,
      int halfOpenCalls) {}

  /**
   * Retries of one scene.
   *
   * @param budget retries a scene may spend over all its capabilities ({@code retry_count})
   * @param initialBackoff first delay; each next one is {@code multiplier} times longer
   * @param maxBackoff longest delay, also the cap on a provider's {@code Retry-After}
   * @param multiplier growth of the delay per retry
   * @param jitter random share (0..1) taken off each delay so that retries spread out
   */
  public record Retry(int budget, Duration initialBackoff, Duration maxBackoff, double multiplier, double jitter) {}

  /**
   * A remote provider.
   *
   * @param kind adapter: {@code replicate} (async predictions, visuals) or {@code openai-speech}
   * @param baseUrl API root, e.g. {@code https://api.replicate.com}
   * @param apiKey bearer token
   * @param model model or version id sent with each call
   * @param voice speech voice (openai-speech)
   * @param timeout connect and response timeout of one HTTP call
   * @param pollInterval how often a running job is asked about
   * @param aspectRatios aspect ratios the model can make; empty: all
   * @param maxSceneSeconds longest scene the model can make; 0: any
   * @param slots concurrent calls, unless {@code reelflow.providers.slots} names this provider
   * @param webhookUrl where the provider should report job changes; empty: poll only
   * @param webhookSecrets the provider's Standard Webhooks secrets ({@code whsec_…}; several while
   *     one is rotated); empty: the provider does not sign, and each webhook is only a hint to
   *     fetch the job from the provider
   */
  public record Remote(String kind, String baseUrl, String apiKey, String model, String voice, Duration timeout,
      Duration pollInterval, List<String> aspectRatios, int maxSceneSeconds, int slots, String webhookUrl,
      List<String> webhookSecrets) {

    public Remote {
      timeout = timeout == null ? Duration.ofSeconds(30) : timeout;
      pollInterval = pollInterval == null ? Duration.ofSeconds(2) : pollInterval;
      aspectRatios = aspectRatios == null ? List.of() : List.copyOf(aspectRatios);
      webhookSecrets = webhookSecrets == null ? List.of() : List.copyOf(webhookSecrets);
      slots = slots <= 0 ? 4 : slots;
    }
  }

  /** The chain configured for {@code capability}. */
  public List<String> chain(Capability capability) {
    List<String> names = switch (capability) {
      case VISUAL -> visual;
      case SPEECH -> speech;
      case MUSIC -> music;
    };
    return names == null ? List.of() : names;
  }

  /** Configured slots of {@code provider}: its entry in {@code slots}, else its remote entry, else 1. */
  public int slotsOf(String provider) {
    Integer configured = slots.get(provider);
    if (configured != null) {
      return configured;
    }
    Remote entry = remote.get(provider);
    return entry == null ? 1 : entry.slots();
  }
}
