package io.reelflow.pipeline;

import io.reelflow.sim.ProviderSimulator;
import org.springframework.test.context.DynamicPropertyRegistry;

/** Configures the simulator as remote provider {@code sim} (Replicate-style visuals). */
final class SimulatorProperties {

  private SimulatorProperties() {}

  static void register(DynamicPropertyRegistry registry, ProviderSimulator sim, String pollInterval, int slots) {
    registry.add("reelflow.providers.remote.sim.kind", () -> "replicate");
    registry.add("reelflow.providers.remote.sim.base-url", sim::baseUrl);
    registry.add("reelflow.providers.remote.sim.api-key", () -> "sim-token");
    registry.add("reelflow.providers.remote.sim.model", () -> "reelflow/sim:v1");
    registry.add("reelflow.providers.remote.sim.poll-interval", () -> pollInterval);
    registry.add("reelflow.providers.remote.sim.timeout", () -> "5s");
    registry.add("reelflow.providers.remote.sim.slots", () -> String.valueOf(slots));
    registry.add("reelflow.providers.slots.local-espeak", () -> "4");
  }
}
