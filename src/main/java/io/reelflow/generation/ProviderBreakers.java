package io.reelflow.generation;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.reelflow.provider.ProviderSettings;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * One resilience4j circuit breaker per provider, with the thresholds of {@code
 * reelflow.providers.breaker}, and a gauge of its state ({@code reelflow.provider.circuit.state}:
 * 0 closed, 1 open, 2 half-open) for operators. Rate limits (429) do not count against a
 * provider: they say it is busy, not broken.
 */
@Component
public class ProviderBreakers {

  private final CircuitBreakerRegistry registry;
  private final MeterRegistry meters;
  private final Map<String, CircuitBreaker> breakers = new ConcurrentHashMap<>();

  ProviderBreakers(ProviderSettings settings, MeterRegistry meters) {
    ProviderSettings.Breaker b = settings.breaker();
    CircuitBreakerConfig config =
        CircuitBreakerConfig.custom()
            .failureRateThreshold(b.failureRateThreshold())
            .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
            .slidingWindowSize(b.slidingWindow())
            .minimumNumberOfCalls(b.minimumCalls())
            .waitDurationInOpenState(b.openWait())
            .permittedNumberOfCallsInHalfOpenState(b.halfOpenCalls())
            .automaticTransitionFromOpenToHalfOpenEnabled(true)
            .build();
    this.registry = CircuitBreakerRegistry.of(config);
    this.meters = meters;
  }

  /** The breaker of {@code provider}, created on first use. */
  public CircuitBreaker of(String provider) {
    return breakers.computeIfAbsent(provider, name -> {
      CircuitBreaker breaker = registry.circuitBreaker(name);
      Gauge.builder("reelflow.provider.circuit.state", breaker, ProviderBreakers::stateValue)
          .description("Circuit breaker state of the provider: 0 closed, 1 open, 2 half-open")
          .tag("provider", name)
          .register(meters);
      return breaker;
    });
  }

  private static double stateValue(CircuitBreaker breaker) {
    return switch (breaker.getState()) {
      case OPEN, FORCED_OPEN -> 1;
      case HALF_OPEN -> 2;
      default -> 0;
    };
  }
}
