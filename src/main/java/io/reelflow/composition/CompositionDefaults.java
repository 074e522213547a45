package io.reelflow.composition;

import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Defaults of composition that depend on the machine: {@code reelflow.composition.slots} (the
 * composition route's consumers) is half the cores, at least one, and {@code threads} (each
 * composition's ffmpeg) the cores, so ffmpeg and the JVM together stay inside the machine. Added
 * last, so any configured value wins. An environment post-processor because the route reads the
 * slots as a property placeholder, before any bean exists.
 */
public class CompositionDefaults implements EnvironmentPostProcessor {

  static final String NAME = "reelflowCompositionDefaults";

  @Override
  public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
    environment.getPropertySources().addLast(new MapPropertySource(NAME, defaults(Runtime.getRuntime().availableProcessors())));
  }

  static Map<String, Object> defaults(int cores) {
    return Map.of("reelflow.composition.slots", Math.max(1, cores / 2), "reelflow.composition.threads", Math.max(1, cores));
  }
}
