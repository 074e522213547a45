package io.reelflow.composition;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

class CompositionDefaultsTest {

  @Test
  void halfTheCoresComposeAtOnceWithAllTheCoresEach() {
    assertThat(CompositionDefaults.defaults(2))
        .containsEntry("reelflow.composition.slots", 1).containsEntry("reelflow.composition.threads", 2);
    assertThat(CompositionDefaults.defaults(8))
        .containsEntry("reelflow.composition.slots", 4).containsEntry("reelflow.composition.threads", 8);
    assertThat(CompositionDefaults.defaults(1))
        .containsEntry("reelflow.composition.slots", 1).containsEntry("reelflow.composition.threads", 1);
  }

  @Test
  void aConfiguredValueWins() {
    StandardEnvironment environment = new StandardEnvironment();
    environment.getPropertySources().addFirst(new MapPropertySource("configured",
        Map.of("reelflow.composition.slots", "3")));

    new CompositionDefaults().postProcessEnvironment(environment, null);

    assertThat(environment.getProperty("reelflow.composition.slots")).isEqualTo("3");
    assertThat(environment.getProperty("reelflow.composition.threads", Integer.class))
        .isEqualTo(Math.max(1, Runtime.getRuntime().availableProcessors()));
  }
}
