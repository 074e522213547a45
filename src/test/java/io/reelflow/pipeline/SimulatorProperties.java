package io.reelflow.pipeline;

import io.reelflow.sim.ProviderSimulator;
import org.springframework.test.context.DynamicPropertyRegistry;

/** Configures the simulator as a remote provider (Replicate-style visuals). */
final class SimulatorProperties {

  private SimulatorProperties() {}

  /** The simulator as provider {@code sim}, and four espeak slots. */
  static void register(DynamicPropertyRegistry registry, ProviderSimulator sim, String pollInterval, int slots) {
    register(registry, "sim", sim);
    registry.add("reelflow.providers.remote.sim.poll-interval", () -> pollInterval);
    registry.add("reelflow.providers.remote.sim.timeout", () -> "5s");
    registry.add("reelflow.providers.remote.sim.slots", () -> String.valueOf(slots));
    registry.add("reelflow.providers.slots.local-espeak", () -> "4");
  }

  /** The simulator as provider {@code name}, with its defaults. */
  static void register(DynamicPropertyRegistry registry, String name, ProviderSimulator sim) {
    String prefix = "reelflow.providers.remote." + name;
    registry.add(prefix + ".kind", () -> "replicate");
    registry.add(prefix + ".base-url", sim::baseUrl);
    registry.add(prefix + ".api-key", () -> "sim-token");
    registry.add(prefix + ".model", () -> "reelflow/sim:v1");
  }
}
